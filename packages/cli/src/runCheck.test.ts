import type {
  CheckMetadata,
  NamespaceCheck,
  WorkloadCheck,
  WorkloadCheckContext,
} from '@internal/plugin-kubernetes-security-common';
import { collectObjects } from './collectObjects';
import { runCheck } from './runCheck';

const metadata: Omit<CheckMetadata, 'id' | 'severity'> = {
  title: 'Test check',
  area: 'workload-hardening',
  rationale: 'For tests.',
  remediation: { text: 'None.', yaml: 'spec: {}' },
  docs: 'https://kubernetes.io/docs/',
  equivalents: {},
};

/** Flags every workload once, and remembers what it was given. */
function recordingCheck(): WorkloadCheck & {
  contexts: WorkloadCheckContext[];
} {
  const contexts: WorkloadCheckContext[] = [];
  return {
    ...metadata,
    id: 'test-workload',
    severity: 'medium',
    scope: 'workload',
    contexts,
    run(context) {
      contexts.push(context);
      return [
        {
          message: 'flagged',
          path: `${context.workload.podSpecPath}.containers[0].image`,
        },
      ];
    },
  };
}

const namespaceCheck: NamespaceCheck = {
  ...metadata,
  id: 'test-namespace',
  severity: 'high',
  area: 'pod-security-admission',
  scope: 'namespace',
  run: ({ namespace }) =>
    namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce']
      ? []
      : [{ message: 'no enforce label', path: 'metadata.labels' }],
};

const objectsOf = (text: string) =>
  collectObjects([{ name: 'cluster.yaml', text }]).objects;

const deploymentWithReplicaSetAndPod = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  uid: d1
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: shop/web:1
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d8f
  namespace: shop
  uid: r1
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true }]
spec:
  template:
    spec:
      containers:
        - name: web
          image: shop/web:1
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f-x2x4q
  namespace: shop
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: r1, controller: true }]
spec:
  containers:
    - name: web
      image: shop/web:1
`;

describe('runCheck', () => {
  it('reports a Deployment with its ReplicaSet and Pod once, at the Deployment', () => {
    const check = recordingCheck();
    const report = runCheck(objectsOf(deploymentWithReplicaSetAndPod), [check]);
    expect(report.objects).toBe(3);
    expect(report.workloads).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({
        checkId: 'test-workload',
        object: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
        },
        path: 'spec.template.spec.containers[0].image',
        file: 'cluster.yaml',
        line: 13,
        column: 11,
        objectLine: 1,
      }),
    ]);
  });

  it('gives workloads their Namespace and ServiceAccount, with `default` for manifests without a namespace', () => {
    const check = recordingCheck();
    runCheck(
      objectsOf(`apiVersion: v1
kind: Namespace
metadata:
  name: default
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: other
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
  labels: { expected: 'yes' }
---
apiVersion: v1
kind: Pod
metadata:
  name: unnamespaced
spec:
  containers: [{ name: app, image: app:1 }]
---
${deploymentWithReplicaSetAndPod}`),
      [check],
    );
    const contextOf = (name: string) =>
      check.contexts.find(c => c.workload.object.metadata?.name === name)!;

    const pod = contextOf('unnamespaced');
    expect(pod.namespace?.metadata?.name).toBe('default');
    expect(pod.serviceAccount?.metadata?.name).toBe('default');

    const deployment = contextOf('web');
    expect(deployment.namespace).toBeUndefined();
    expect(deployment.serviceAccount?.metadata?.labels).toEqual({
      expected: 'yes',
    });
  });

  it('keeps the namespace out of the reference of an object that has none', () => {
    const report = runCheck(
      objectsOf(
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  containers: [{ name: app }]\n',
      ),
      [recordingCheck()],
    );
    expect(report.findings[0].object).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'bare',
    });
  });

  it('checks Namespaces, lists findings in input order and scores the weakest workload with its namespace', () => {
    const report = runCheck(
      objectsOf(`${deploymentWithReplicaSetAndPod}---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: payments
spec:
  containers: [{ name: api, image: api:1 }]
`),
      [recordingCheck(), namespaceCheck],
    );
    expect(
      report.findings.map(
        f => `${f.checkId} ${f.object.kind}/${f.object.name}`,
      ),
    ).toEqual([
      'test-workload Deployment/web',
      'test-namespace Namespace/shop',
      'test-workload Pod/api',
    ]);
    expect(report.bySeverity).toEqual({
      critical: 0,
      high: 1,
      medium: 2,
      low: 0,
      info: 0,
    });
    // shop/web loses 8 (medium) + 20 (its namespace's high finding); payments/api only 8.
    expect(report.score).toMatchObject({ score: 77, grade: 'C' });
  });

  it('has no score without workloads', () => {
    const report = runCheck(
      objectsOf('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n'),
      [namespaceCheck],
    );
    expect(report.workloads).toBe(0);
    expect(report.findings).toHaveLength(1);
    expect(report.score).toBeUndefined();
  });
});
