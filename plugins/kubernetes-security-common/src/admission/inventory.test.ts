import type { KubeObject } from '../kubernetes';
import { dryRunPolicy } from './dryRun';
import {
  admissionInventoryFromManifests,
  paramsNotReadReason,
} from './inventory';
import { admissionSubjects } from './subjects';

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'limits', namespace: 'shop' },
  stringData: { max: 'hunter2' },
};
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'limits', namespace: 'shop' },
  data: { max: '3' },
};

describe('Secret params', () => {
  it('are never kept from manifests, whatever their group', () => {
    const inventory = admissionInventoryFromManifests([
      secret,
      { ...secret, apiVersion: 'example.com/v1' },
      configMap,
    ]);
    expect(inventory.params).toEqual([configMap]);
    expect(paramsNotReadReason({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(
      undefined,
    );
  });

  it('make the dry run unknown even when a Secret is at hand', () => {
    const deployment: KubeObject = {
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        template: {
          spec: { containers: [{ name: 'app', image: 'docker.io/web:1' }] },
        },
      },
    };
    const [subject] = admissionSubjects(
      {
        kind: 'Deployment',
        object: deployment,
        template: (deployment.spec as any).template,
        pods: [],
        labelSets: [],
      },
      undefined,
    );
    const policy: KubeObject = {
      metadata: { name: 'p' },
      spec: {
        paramKind: { apiVersion: 'v1', kind: 'Secret' },
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['apps'],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['deployments'],
            },
          ],
        },
        validations: [
          { expression: 'false', messageExpression: 'params.stringData.max' },
        ],
      },
    };
    const binding: KubeObject = {
      metadata: { name: 'b' },
      spec: {
        policyName: 'p',
        paramRef: { name: 'limits', namespace: 'shop' },
      },
    };
    const evaluation = dryRunPolicy(policy, binding, subject, {
      params: [secret],
      enforced: true,
    });
    expect(evaluation).toMatchObject({
      outcome: 'unknown',
      reason: expect.stringContaining('params of kind Secret are not read'),
    });
    expect(JSON.stringify(evaluation)).not.toContain('hunter2');
  });
});
