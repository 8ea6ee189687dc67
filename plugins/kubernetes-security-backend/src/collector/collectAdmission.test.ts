import {
  assessAdmission,
  assessCluster,
  buildWorkloads,
  wholeClusterSelection,
  type AdmissionEvaluation,
  type AdmissionInventory,
  type ClusterContext,
  type Workload,
} from '@internal/plugin-kubernetes-security-common';
import {
  loadManifests,
  startSimulatedCluster,
  type KubeObject,
  type PolicyRule,
  type SimulatedCluster,
} from '@internal/simulated-cluster';
import { resolve } from 'node:path';
import { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import { ADMISSION_API_GROUPS, collectAdmission } from './collectAdmission';
import { collectInventory } from './collectInventory';
import { discoverApis } from './discoverApis';

jest.setTimeout(60_000);

const EXAMPLES = resolve(__dirname, '../../../../examples/clusters');
const READ_ALL: PolicyRule = {
  apiGroups: ['*'],
  resources: ['*'],
  verbs: ['get', 'list', 'watch'],
};
const clusters: SimulatedCluster[] = [];

/** Every workload and namespace assessed as a scan assesses them, admission checks included. */
function assessAll(
  workloads: Workload[],
  context: ClusterContext,
  admission: AdmissionInventory,
) {
  const snapshot = {
    cluster: 'test',
    scannedAt: new Date().toISOString(),
    workloads,
    context,
    admission,
    errors: [],
  };
  return assessCluster(snapshot, [wholeClusterSelection(snapshot, 'test')])[0]
    .report;
}

async function start(
  objects: KubeObject[],
  options: {
    version?: string;
    featureGates?: Record<string, boolean>;
    rules?: PolicyRule[];
  } = {},
) {
  const cluster = await startSimulatedCluster({
    version: options.version ?? 'v1.30.1',
    featureGates: options.featureGates,
    objects,
    tokens: [
      {
        token: 'reader',
        username: 'system:serviceaccount:backstage:reader',
        rules: options.rules ?? [READ_ALL],
      },
    ],
  });
  clusters.push(cluster);
  const client = new KubernetesApiClient(
    {
      name: 'test',
      url: cluster.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: 'reader',
    },
    { pageSize: 50, requestTimeoutMs: 5_000 },
  );
  const inventory = await collectAdmission(
    client,
    await discoverApis(client, ADMISSION_API_GROUPS),
  );
  return { client, inventory };
}

afterAll(() => Promise.all(clusters.map(c => c.stop())));

describe('collectAdmission', () => {
  let prod: KubeObject[];
  let staging: KubeObject[];
  beforeAll(async () => {
    [prod, staging] = await Promise.all([
      loadManifests(resolve(EXAMPLES, 'prod')),
      loadManifests(resolve(EXAMPLES, 'staging')),
    ]);
  });

  it('lists policies, bindings, their params and Kyverno policies at the served versions', async () => {
    const { inventory } = await start(prod);
    expect(inventory.errors).toEqual([]);
    expect(inventory.served).toEqual(
      expect.arrayContaining([
        { mechanism: 'validating-admission-policy', version: 'v1' },
        { mechanism: 'kyverno', version: 'v1' },
      ]),
    );
    expect(inventory.served.map(s => s.mechanism)).not.toContain('gatekeeper');
    expect(
      inventory.validatingAdmissionPolicies.map(p => p.metadata?.name).sort(),
    ).toEqual([
      'allowed-image-registries',
      'deny-privileged-containers',
      'digest-pinned-images',
      'require-read-only-root-filesystem',
      'require-run-as-non-root',
      'restrict-added-capabilities',
    ]);
    expect(inventory.validatingAdmissionPolicyBindings).toHaveLength(5);
    expect(inventory.params).toEqual([
      expect.objectContaining({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: expect.objectContaining({ name: 'allowed-registries' }),
      }),
    ]);
    expect(inventory.kyvernoPolicies).toEqual([
      expect.objectContaining({
        kind: 'ClusterPolicy',
        apiVersion: 'kyverno.io/v1',
      }),
    ]);
  });

  it('dry-runs the demo policies to every outcome', async () => {
    const { client, inventory } = await start(prod);
    const collected = await collectInventory(client);
    const workloads = buildWorkloads(collected.inventory);
    const assessment = assessAdmission(inventory, {
      namespaces: collected.context.namespaces,
      clusterVersion: collected.context.clusterVersion,
    });
    const assessed = assessAll(workloads, collected.context, inventory);
    const evaluations: AdmissionEvaluation[] = workloads.flatMap(w =>
      assessment.evaluationsFor(w),
    );
    const outcomes = (policy: string) =>
      new Set(evaluations.filter(e => e.policy === policy).map(e => e.outcome));
    // The only privileged container outside exempt namespaces is a bare Pod,
    // which this workload-level policy does not match.
    expect(outcomes('deny-privileged-containers')).toEqual(
      new Set(['would-pass']),
    );
    expect(outcomes('restrict-added-capabilities')).toEqual(
      new Set(['would-pass', 'would-be-denied']),
    );
    expect(outcomes('require-run-as-non-root')).toContain('would-warn');
    expect(outcomes('allowed-image-registries')).toContain('would-pass');
    expect(outcomes('digest-pinned-images')).toContain('unknown');

    const denied = evaluations.find(e => e.outcome === 'would-be-denied')!;
    expect(denied).toMatchObject({
      object: {
        kind: 'ReplicaSet',
        namespace: 'observability',
        name: 'metrics-gateway',
        evaluatedAs: 'Pod',
      },
      message:
        'containers gateway add a forbidden capability (NET_ADMIN, SYS_ADMIN, SYS_MODULE, SYS_PTRACE)',
      actions: ['deny'],
    });
    const unknown = evaluations.find(e => e.outcome === 'unknown')!;
    expect(unknown).toMatchObject({
      object: { evaluatedAs: 'Pod' },
      reason: expect.stringContaining('authorizer'),
    });
    // Pod-level policies never run on workload objects, and the reverse.
    expect(
      evaluations
        .filter(e => e.policy === 'digest-pinned-images')
        .every(e => e.object.evaluatedAs === 'Pod'),
    ).toBe(true);
    expect(
      evaluations
        .filter(e => e.policy === 'deny-privileged-containers')
        .every(e => e.object.evaluatedAs === 'workload'),
    ).toBe(true);

    const denyFindings = assessed.workloads
      .flatMap(w => w.findings)
      .filter(f => f.checkId === 'admission-would-deny');
    expect(denyFindings).toEqual([
      expect.objectContaining({
        severity: 'high',
        path: 'spec.template.spec',
        object: expect.objectContaining({ namespace: 'observability' }),
      }),
    ]);

    const report = assessment.report(
      ['payments', 'checkout'],
      workloads.filter(w => w.object.metadata?.namespace === 'payments'),
    );
    const signed = (ns: string) =>
      report.coverage
        .find(c => c.namespace === ns)!
        .cells.find(c => c.requirement === 'signed-images')!;
    expect(signed('payments').strongestAction).toBe('deny');
    expect(signed('checkout').strongestAction).toBeUndefined();
    const namespaceChecks = (name: string) =>
      assessed.namespaces
        .find(namespace => namespace.name === name)!
        .findings.map(f => f.checkId);
    expect(namespaceChecks('checkout')).toContain(
      'admission-signed-images-not-required',
    );
    expect(namespaceChecks('payments')).not.toContain(
      'admission-signed-images-not-required',
    );
    expect(report.served.map(s => s.mechanism)).toContain(
      'pod-security-admission',
    );
  });

  it('reads the alpha API where 1.26 serves it, and nothing where it does not', async () => {
    const gated = await start(staging, {
      version: 'v1.26.3',
      featureGates: { ValidatingAdmissionPolicy: true },
    });
    expect(gated.inventory.served).toEqual([
      { mechanism: 'validating-admission-policy', version: 'v1alpha1' },
    ]);
    expect(gated.inventory.validatingAdmissionPolicies[0].apiVersion).toBe(
      'admissionregistration.k8s.io/v1alpha1',
    );

    const off = await start(staging, { version: 'v1.26.3' });
    expect(off.inventory).toMatchObject({
      served: [],
      validatingAdmissionPolicies: [],
      errors: [],
    });
  });

  it('turns a 403 on a policy list into a ScanError and keeps the rest', async () => {
    const { inventory } = await start(prod, {
      rules: [
        {
          apiGroups: ['', 'kyverno.io'],
          resources: ['*'],
          verbs: ['get', 'list'],
        },
        {
          apiGroups: ['admissionregistration.k8s.io'],
          resources: ['validatingadmissionpolicybindings'],
          verbs: ['list'],
        },
      ],
    });
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        type: 'FORBIDDEN',
        statusCode: 403,
        resource: 'admissionregistration.k8s.io/validatingadmissionpolicies',
      }),
    ]);
    expect(inventory.validatingAdmissionPolicyBindings).toHaveLength(5);
    expect(inventory.kyvernoPolicies).toHaveLength(1);
  });

  it('reports params it may not read, and the dry run then says unknown', async () => {
    const { client, inventory } = await start(prod, {
      rules: [
        {
          apiGroups: [
            'admissionregistration.k8s.io',
            'apps',
            'batch',
            'kyverno.io',
          ],
          resources: ['*'],
          verbs: ['get', 'list'],
        },
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['list'] },
      ],
    });
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        type: 'FORBIDDEN',
        resource: 'params/v1/ConfigMap',
      }),
    ]);
    const collected = await collectInventory(client);
    const workloads = buildWorkloads(collected.inventory);
    const assessment = assessAdmission(inventory, {
      namespaces: collected.context.namespaces,
    });
    const registries = workloads
      .flatMap(w => assessment.evaluationsFor(w))
      .filter(e => e.policy === 'allowed-image-registries');
    expect(registries.length).toBeGreaterThan(0);
    expect(registries.every(e => e.outcome === 'unknown')).toBe(true);
  });

  it('never reads Secret params, so no policy message can copy their values', async () => {
    const secretValue = 'hunter2-do-not-leak';
    const leaky: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'registry-credentials', namespace: 'policies' },
        data: { password: Buffer.from(secretValue).toString('base64') },
        stringData: { password: secretValue },
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'leak-secret' },
        spec: {
          failurePolicy: 'Fail',
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
            {
              expression: 'false',
              messageExpression: 'string(params.data.password)',
            },
          ],
        },
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: 'leak-secret' },
        spec: {
          policyName: 'leak-secret',
          validationActions: ['Deny'],
          paramRef: {
            name: 'registry-credentials',
            namespace: 'policies',
            parameterNotFoundAction: 'Deny',
          },
        },
      },
    ];
    const { client, inventory } = await start([...prod, ...leaky]);
    const cluster = clusters[clusters.length - 1];
    expect(
      cluster.requestLog.filter(entry => /\/secrets\b/.test(entry.path)),
    ).toEqual([]);
    expect(inventory.params.map(p => p.kind)).not.toContain('Secret');

    const collected = await collectInventory(client);
    const workloads = buildWorkloads(collected.inventory);
    const assessment = assessAdmission(inventory, {
      namespaces: collected.context.namespaces,
      clusterVersion: collected.context.clusterVersion,
    });
    const evaluations = workloads
      .flatMap(w => assessment.evaluationsFor(w))
      .filter(e => e.policy === 'leak-secret');
    expect(evaluations.length).toBeGreaterThan(0);
    for (const evaluation of evaluations) {
      expect(evaluation).toMatchObject({
        outcome: 'unknown',
        reason: expect.stringContaining('params of kind Secret are not read'),
      });
    }
    const everything = JSON.stringify([
      evaluations,
      assessAll(workloads, collected.context, inventory).workloads.flatMap(
        w => w.findings,
      ),
    ]);
    expect(everything).not.toContain(secretValue);
    expect(everything).not.toContain(
      Buffer.from(secretValue).toString('base64'),
    );
  });
});
