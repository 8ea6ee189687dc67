import type { KubeObject } from '../kubernetes';
import { dryRunPolicy, type DryRunContext } from './dryRun';
import { admissionSubjects } from './subjects';

const namespace: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', labels: { team: 'a' } },
};
const deployment: KubeObject = {
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'docker.io/web:1' }] },
    },
  },
};
const [workloadSubject, podSubject] = admissionSubjects(
  {
    kind: 'Deployment',
    object: deployment,
    template: (deployment.spec as any).template,
    pods: [],
    labelSets: [],
  },
  namespace,
);

function policy(spec: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'p' },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['apps', ''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['deployments', 'pods'],
          },
        ],
      },
      ...spec,
    },
  };
}
const binding = (spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'b' },
  spec: { policyName: 'p', validationActions: ['Deny'], ...spec },
});
const context: DryRunContext = {
  params: [],
  namespaceObject: namespace,
  enforced: true,
};

describe('dryRunPolicy', () => {
  it('converts integers so arithmetic works, and evaluates Pods as CREATE without an old object', () => {
    const p = policy({
      validations: [
        { expression: 'object.spec.replicas + 1 <= 3', message: 'too many' },
      ],
    });
    expect(dryRunPolicy(p, binding(), workloadSubject, context)).toMatchObject({
      outcome: 'would-be-denied',
      message: 'too many',
    });
    const pod = policy({
      validations: [
        {
          expression:
            "oldObject == null && request.operation == 'CREATE' && object.kind == 'Pod' && namespaceObject.metadata.labels.team == 'a'",
        },
      ],
    });
    expect(dryRunPolicy(pod, binding(), podSubject, context)).toMatchObject({
      outcome: 'would-pass',
      object: { evaluatedAs: 'Pod' },
    });
  });

  it('maps validation actions to outcomes, and not-enforced when the cluster would not run it', () => {
    const p = policy({ validations: [{ expression: 'false' }] });
    expect(
      dryRunPolicy(
        p,
        binding({ validationActions: ['Warn', 'Audit'] }),
        workloadSubject,
        context,
      )?.outcome,
    ).toBe('would-warn');
    expect(
      dryRunPolicy(
        p,
        binding({ validationActions: ['Audit'] }),
        workloadSubject,
        context,
      )?.outcome,
    ).toBe('would-audit');
    expect(
      dryRunPolicy(
        p,
        binding({ validationActions: undefined }),
        workloadSubject,
        context,
      )?.outcome,
    ).toBe('would-be-denied');
    expect(
      dryRunPolicy(p, binding(), workloadSubject, {
        ...context,
        enforced: false,
        notEnforcedReason: 'gate off',
      }),
    ).toMatchObject({
      outcome: 'not-enforced',
      reason: 'gate off',
    });
    // A policy the server does not run decides nothing, whatever it would say.
    const passing = policy({ validations: [{ expression: 'true' }] });
    expect(
      dryRunPolicy(passing, binding(), workloadSubject, {
        ...context,
        enforced: false,
        notEnforcedReason: 'gate off',
      })?.outcome,
    ).toBe('would-pass');
    const unsupported = policy({
      validations: [
        { expression: 'semver("1.0.0").isGreaterThan(semver("0.1.0"))' },
      ],
    });
    expect(
      dryRunPolicy(unsupported, binding(), workloadSubject, {
        ...context,
        enforced: false,
        notEnforcedReason: 'gate off',
      })?.outcome,
    ).toBe('not-enforced');
  });

  it('uses messageExpression, variables and match conditions', () => {
    const p = policy({
      matchConditions: [
        { name: 'only-deployments', expression: "object.kind == 'Deployment'" },
      ],
      variables: [
        {
          name: 'images',
          expression: 'object.spec.template.spec.containers.map(c, c.image)',
        },
      ],
      validations: [
        {
          expression:
            "variables.images.all(i, i.startsWith('registry.example.com/'))",
          messageExpression: "'bad images: ' + variables.images.join(',')",
        },
      ],
    });
    expect(dryRunPolicy(p, binding(), workloadSubject, context)).toMatchObject({
      outcome: 'would-be-denied',
      message: 'bad images: docker.io/web:1',
    });
    expect(dryRunPolicy(p, binding(), podSubject, context)).toBeUndefined();
  });

  it('applies failurePolicy to evaluation errors', () => {
    const p = policy({
      validations: [{ expression: 'object.spec.missing.field == 1' }],
    });
    expect(dryRunPolicy(p, binding(), workloadSubject, context)).toMatchObject({
      outcome: 'would-be-denied',
      message: expect.stringContaining('resulted in error'),
    });
    const ignore = policy({
      failurePolicy: 'Ignore',
      validations: [{ expression: 'object.spec.missing.field == 1' }],
    });
    expect(
      dryRunPolicy(ignore, binding(), workloadSubject, context)?.outcome,
    ).toBe('would-pass');
  });

  it('resolves params by name and by selector, honouring parameterNotFoundAction', () => {
    const paramKind = { apiVersion: 'v1', kind: 'ConfigMap' };
    const p = policy({
      paramKind,
      validations: [
        { expression: 'object.spec.replicas <= int(params.data.max)' },
      ],
    });
    const limit = (name: string, max: string, labels = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'policies', labels },
      data: { max },
    });
    const params = [
      limit('strict', '2', { tier: 'strict' }),
      limit('loose', '10'),
    ];
    const byName = binding({
      paramRef: { name: 'loose', namespace: 'policies' },
    });
    expect(
      dryRunPolicy(p, byName, workloadSubject, { ...context, params })?.outcome,
    ).toBe('would-pass');
    const bySelector = binding({
      paramRef: {
        namespace: 'policies',
        selector: { matchLabels: { tier: 'strict' } },
      },
    });
    expect(
      dryRunPolicy(p, bySelector, workloadSubject, { ...context, params })
        ?.outcome,
    ).toBe('would-be-denied');
    const missing = (action: string) =>
      binding({
        paramRef: {
          name: 'absent',
          namespace: 'policies',
          parameterNotFoundAction: action,
        },
      });
    expect(
      dryRunPolicy(p, missing('Allow'), workloadSubject, { ...context, params })
        ?.outcome,
    ).toBe('would-pass');
    expect(
      dryRunPolicy(p, missing('Deny'), workloadSubject, { ...context, params }),
    ).toMatchObject({
      outcome: 'would-be-denied',
      message: expect.stringContaining('no params found'),
    });
  });

  it('answers unknown for unsupported functions and the requesting user, never a pass', () => {
    const unsupported = policy({
      validations: [
        { expression: "semver('1.0.0').isGreaterThan(semver('0.9.0'))" },
      ],
    });
    expect(
      dryRunPolicy(unsupported, binding(), workloadSubject, context),
    ).toMatchObject({
      outcome: 'unknown',
      reason: expect.stringContaining('semver'),
    });
    const user = policy({
      validations: [
        { expression: "request.userInfo.username != 'system:anonymous'" },
      ],
    });
    expect(
      dryRunPolicy(user, binding(), workloadSubject, context),
    ).toMatchObject({ outcome: 'unknown' });
    // A definite violation wins over an unknown one.
    const both = policy({
      validations: [
        { expression: "semver('1.0.0') != null" },
        { expression: 'false', message: 'no' },
      ],
    });
    expect(
      dryRunPolicy(both, binding(), workloadSubject, context)?.outcome,
    ).toBe('would-be-denied');
  });
});
