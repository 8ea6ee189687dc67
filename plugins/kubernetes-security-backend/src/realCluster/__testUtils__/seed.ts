import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { KubeObject } from '@internal/plugin-kubernetes-security-common';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { RESTRICTED_USERNAME, type RealApiServer } from './realApiServer';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const RBAC_MANIFEST = resolvePackagePath(
  '@internal/plugin-kubernetes-security-backend',
  'rbac/cluster-role.yaml',
);

/** A value the apiserver stores in a token Secret; the scan must never see it. */
export const SEEDED_TOKEN_VALUE = 'seeded-legacy-token-value-never-to-be-read';
export const CI_TOKEN_LAST_USED = '2025-01-15';

/** What was written, for assertions that compare against the seed. */
export interface SeededCluster {
  namespaces: string[];
  pods: string[];
  tokenSecrets: string[];
  /** The components (by `backstage.io/kubernetes-id`) and their outermost workloads. */
  workloads: Record<
    string,
    { kind: string; name: string; namespace: string }[]
  >;
}

/** What the restricted user may list, named like the collector's resources. */
export const RESTRICTED_GRANTS = [
  'namespaces',
  'pods',
  'serviceaccounts',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
];

// Collection paths of the kinds the seed writes (namespaced unless noted).
const COLLECTIONS: Record<string, (namespace?: string) => string> = {
  Namespace: () => '/api/v1/namespaces',
  CSIDriver: () => '/apis/storage.k8s.io/v1/csidrivers',
  ClusterRole: () => '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: () =>
    '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  ServiceAccount: ns => `/api/v1/namespaces/${ns}/serviceaccounts`,
  Secret: ns => `/api/v1/namespaces/${ns}/secrets`,
  Pod: ns => `/api/v1/namespaces/${ns}/pods`,
  Deployment: ns => `/apis/apps/v1/namespaces/${ns}/deployments`,
  ReplicaSet: ns => `/apis/apps/v1/namespaces/${ns}/replicasets`,
  StatefulSet: ns => `/apis/apps/v1/namespaces/${ns}/statefulsets`,
  DaemonSet: ns => `/apis/apps/v1/namespaces/${ns}/daemonsets`,
  Job: ns => `/apis/batch/v1/namespaces/${ns}/jobs`,
  // 1.20 serves CronJob only as batch/v1beta1 (batch/v1 arrived in 1.21).
  CronJob: ns => `/apis/batch/v1beta1/namespaces/${ns}/cronjobs`,
};

const b64 = (value: string) => Buffer.from(value).toString('base64');

const hardenedContainer = (name: string, image: string) => ({
  name,
  image,
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 10001,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
});

const PAYMENTS_IMAGE =
  'registry.example.com/payments/api@sha256:4b6a3c8e1f0d2a5b7c9e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c';

const podSpecs = {
  payments: {
    serviceAccountName: 'payments-api',
    automountServiceAccountToken: false,
    containers: [hardenedContainer('api', PAYMENTS_IMAGE)],
  },
  ledger: {
    automountServiceAccountToken: false,
    containers: [hardenedContainer('ledger', PAYMENTS_IMAGE)],
  },
  nodeAgent: {
    serviceAccountName: 'node-agent',
    hostPID: true,
    hostNetwork: true,
    containers: [
      {
        name: 'agent',
        image: 'example/node-agent:latest',
        securityContext: { privileged: true },
      },
    ],
  },
  ciSync: {
    serviceAccountName: 'ci-deployer',
    restartPolicy: 'OnFailure',
    containers: [{ name: 'sync', image: 'example/ci-sync:1.4' }],
    volumes: [
      { name: 'api-token', secret: { secretName: 'ci-deployer-token' } },
    ],
  },
};

const meta = (
  name: string,
  namespace: string,
  component: string,
  extra: Record<string, string> = {},
) => ({
  name,
  namespace,
  labels: { [KUBERNETES_ID]: component, app: name, ...extra },
});

const ownerRef = (owner: KubeObject) => ({
  apiVersion: owner.apiVersion!,
  kind: owner.kind!,
  name: owner.metadata!.name!,
  uid: owner.metadata!.uid!,
  controller: true,
  blockOwnerDeletion: true,
});

async function create(
  server: RealApiServer,
  object: KubeObject,
): Promise<KubeObject> {
  const collection = COLLECTIONS[object.kind!];
  const response = await server.request(
    collection(object.metadata?.namespace),
    { method: 'POST', body: object },
  );
  if (response.status !== 201) {
    throw new Error(
      `Seeding ${object.kind} ${object.metadata?.namespace ?? ''}/${
        object.metadata?.name
      } failed with HTTP ${response.status}: ${response.body}`,
    );
  }
  return response.json as KubeObject;
}

/**
 * Writes a small estate through the REST API as an admin. Nothing reconciles
 * (no controller-manager), so every object a controller would create is
 * written here too: `default` ServiceAccounts, ReplicaSets, Jobs and Pods,
 * with owner references to their controllers.
 */
export async function seedCluster(
  server: RealApiServer,
): Promise<SeededCluster> {
  const namespaces = ['backstage', 'payments', 'monitoring', 'ci'];
  for (const name of namespaces) {
    await create(server, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
    await create(server, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: name },
    });
  }

  // The plugin's own RBAC manifest, exactly as shipped.
  for (const doc of parseAllDocuments(readFileSync(RBAC_MANIFEST, 'utf8'))) {
    await create(server, doc.toJS() as KubeObject);
  }
  // Less than the shipped role: no Secrets and nothing in batch.
  const grantsByGroup = new Map<string, string[]>();
  for (const grant of RESTRICTED_GRANTS) {
    const [group, resource] = grant.includes('/')
      ? grant.split('/')
      : ['', grant];
    grantsByGroup.set(group, [...(grantsByGroup.get(group) ?? []), resource]);
  }
  await create(server, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'restricted-reader' },
    rules: [...grantsByGroup].map(([group, resources]) => ({
      apiGroups: [group],
      resources,
      verbs: ['list'],
    })),
  } as KubeObject);
  await create(server, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'restricted-reader' },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'restricted-reader',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: RESTRICTED_USERNAME,
      },
    ],
  } as KubeObject);

  for (const [namespace, name] of [
    ['payments', 'payments-api'],
    ['monitoring', 'node-agent'],
    ['ci', 'ci-deployer'],
  ]) {
    await create(server, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace },
      ...(name === 'ci-deployer'
        ? { secrets: [{ name: 'ci-deployer-token' }] }
        : {}),
    } as KubeObject);
  }

  const tokenSecret = (
    name: string,
    namespace: string,
    account: string,
    labels: Record<string, string>,
  ) =>
    ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name,
        namespace,
        annotations: { 'kubernetes.io/service-account.name': account },
        labels,
      },
      data: {
        token: b64(SEEDED_TOKEN_VALUE),
        namespace: b64(namespace),
        'ca.crt': b64(server.caPem),
      },
    } as KubeObject);
  await create(
    server,
    tokenSecret('ci-deployer-token', 'ci', 'ci-deployer', {
      'kubernetes.io/legacy-token-last-used': CI_TOKEN_LAST_USED,
    }),
  );
  await create(
    server,
    tokenSecret('payments-api-token', 'payments', 'payments-api', {
      'kubernetes.io/legacy-token-last-used': '2024-11-30',
      'kubernetes.io/legacy-token-invalid-since': '2025-02-01',
    }),
  );
  // Not a token: the field selector must leave it out.
  await create(server, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'payments-db', namespace: 'payments' },
    data: { password: b64('not-for-the-scanner') },
  } as KubeObject);

  for (const [name, fsGroupPolicy] of [
    ['ebs.csi.example.com', 'File'],
    ['nfs.csi.example.com', 'None'],
  ]) {
    await create(server, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name },
      spec: { attachRequired: fsGroupPolicy === 'File', fsGroupPolicy },
    } as KubeObject);
  }

  const pods: string[] = [];
  const createPods = async (
    owner: KubeObject,
    names: string[],
    spec: object,
    labels: Record<string, string>,
  ) => {
    for (const name of names) {
      const { namespace } = owner.metadata!;
      await create(server, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace,
          labels,
          ownerReferences: [ownerRef(owner)],
        },
        spec,
      } as KubeObject);
      pods.push(`${namespace}/${name}`);
    }
  };

  // payments-api: Deployment → ReplicaSet → 3 Pods (hardened).
  const paymentsLabels = meta(
    'payments-api',
    'payments',
    'payments-api',
  ).labels;
  const deployment = await create(server, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('payments-api', 'payments', 'payments-api'),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'payments-api' } },
      template: {
        metadata: { labels: paymentsLabels },
        spec: podSpecs.payments,
      },
    },
  } as KubeObject);
  const rsLabels = { ...paymentsLabels, 'pod-template-hash': '7d9f8c6b5' };
  const replicaSet = await create(server, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      ...meta('payments-api-7d9f8c6b5', 'payments', 'payments-api'),
      labels: rsLabels,
      ownerReferences: [ownerRef(deployment)],
    },
    spec: {
      replicas: 3,
      selector: {
        matchLabels: { app: 'payments-api', 'pod-template-hash': '7d9f8c6b5' },
      },
      template: { metadata: { labels: rsLabels }, spec: podSpecs.payments },
    },
  } as KubeObject);
  await createPods(
    replicaSet,
    [
      'payments-api-7d9f8c6b5-4xk2p',
      'payments-api-7d9f8c6b5-9qwer',
      'payments-api-7d9f8c6b5-zt6mn',
    ],
    podSpecs.payments,
    rsLabels,
  );

  // payments-ledger: StatefulSet → 2 Pods.
  const ledgerLabels = meta(
    'payments-ledger',
    'payments',
    'payments-ledger',
  ).labels;
  const statefulSet = await create(server, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('payments-ledger', 'payments', 'payments-ledger'),
    spec: {
      serviceName: 'payments-ledger',
      replicas: 2,
      selector: { matchLabels: { app: 'payments-ledger' } },
      template: { metadata: { labels: ledgerLabels }, spec: podSpecs.ledger },
    },
  } as KubeObject);
  await createPods(
    statefulSet,
    ['payments-ledger-0', 'payments-ledger-1'],
    podSpecs.ledger,
    ledgerLabels,
  );

  // node-agent: a privileged DaemonSet in the host's namespaces → 1 Pod.
  const agentLabels = meta('node-agent', 'monitoring', 'node-agent').labels;
  const daemonSet = await create(server, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta('node-agent', 'monitoring', 'node-agent'),
    spec: {
      selector: { matchLabels: { app: 'node-agent' } },
      template: { metadata: { labels: agentLabels }, spec: podSpecs.nodeAgent },
    },
  } as KubeObject);
  await createPods(
    daemonSet,
    ['node-agent-b7x2q'],
    podSpecs.nodeAgent,
    agentLabels,
  );

  // ci-deployer: CronJob → Job → Pod that mounts a legacy token Secret.
  const ciLabels = meta('ci-sync', 'ci', 'ci-deployer').labels;
  const cronJob = await create(server, {
    apiVersion: 'batch/v1beta1',
    kind: 'CronJob',
    metadata: meta('ci-sync', 'ci', 'ci-deployer'),
    spec: {
      schedule: '@hourly',
      jobTemplate: {
        metadata: { labels: ciLabels },
        spec: {
          template: { metadata: { labels: ciLabels }, spec: podSpecs.ciSync },
        },
      },
    },
  } as KubeObject);
  const job = await create(server, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      ...meta('ci-sync-28790460', 'ci', 'ci-deployer'),
      ownerReferences: [ownerRef(cronJob)],
    },
    spec: {
      template: { metadata: { labels: ciLabels }, spec: podSpecs.ciSync },
    },
  } as KubeObject);
  await createPods(job, ['ci-sync-28790460-kq8vd'], podSpecs.ciSync, ciLabels);

  return {
    namespaces,
    pods,
    tokenSecrets: ['ci/ci-deployer-token', 'payments/payments-api-token'],
    workloads: {
      'payments-api': [
        { kind: 'Deployment', name: 'payments-api', namespace: 'payments' },
      ],
      'payments-ledger': [
        { kind: 'StatefulSet', name: 'payments-ledger', namespace: 'payments' },
      ],
      'node-agent': [
        { kind: 'DaemonSet', name: 'node-agent', namespace: 'monitoring' },
      ],
      'ci-deployer': [{ kind: 'CronJob', name: 'ci-sync', namespace: 'ci' }],
    },
  };
}
