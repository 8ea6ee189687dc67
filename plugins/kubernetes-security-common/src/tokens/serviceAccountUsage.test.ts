import { ClusterObjects, clusterContextFromObjects } from '../clusterObjects';
import type { KubeObject } from '../kubernetes';
import { buildWorkloads } from '../workloads';
import { emptyClusterInventory } from '../workloads';
import { lastUsedNote, serviceAccountUsage } from './serviceAccountUsage';

const pod = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ci', uid: name },
  spec: {
    containers: [{ name: 'main', image: 'registry.example.com/x:1' }],
    ...spec,
  },
});

const token = (
  name: string,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/service-account-token',
  metadata: {
    name,
    namespace: 'ci',
    creationTimestamp: '2026-11-01T00:00:00Z',
    labels,
    annotations: { 'kubernetes.io/service-account.name': 'deployer' },
  },
});

describe('serviceAccountUsage', () => {
  const deployer = pod('deployer', {
    serviceAccountName: 'deployer',
    volumes: [
      { name: 'old', secret: { secretName: 'deployer-token' } },
      {
        name: 'api',
        projected: {
          sources: [
            { serviceAccountToken: { path: 't', expirationSeconds: 86400 } },
          ],
        },
      },
    ],
  });
  const other = pod('reporter', {
    serviceAccountName: 'reporter',
    automountServiceAccountToken: false,
    containers: [
      {
        name: 'main',
        env: [
          {
            name: 'TOKEN',
            valueFrom: {
              secretKeyRef: { name: 'deployer-token', key: 'token' },
            },
          },
        ],
      },
    ],
  });
  const objects = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'deployer', namespace: 'ci' },
    },
    token('deployer-token', {
      'kubernetes.io/legacy-token-last-used': '2026-11-20',
      'kubernetes.io/legacy-token-invalid-since': '2026-11-25',
    }),
    token('deployer-spare'),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'deploy', namespace: 'ci' },
      subjects: [
        { kind: 'ServiceAccount', name: 'deployer' },
        { kind: 'Group', name: 'system:serviceaccounts' },
      ],
    },
  ];
  const cluster = new ClusterObjects({
    ...clusterContextFromObjects(objects),
    clusterVersion: { major: 1, minor: 26 },
  });
  const workloads = buildWorkloads({
    ...emptyClusterInventory(),
    pods: [deployer, other],
  });
  const [usage] = serviceAccountUsage(
    workloads.filter(w => w.object.metadata?.name === 'deployer'),
    workloads,
    cluster,
    new Date('2026-11-27T00:00:00Z'),
  );

  it('describes each bound legacy token from its metadata, with every pod that mounts it', () => {
    expect(usage).toMatchObject({
      namespace: 'ci',
      name: 'deployer',
      rbacBindings: 1,
    });
    expect(usage.automountedIn).toEqual([
      { kind: 'Pod', namespace: 'ci', name: 'deployer' },
    ]);
    expect(usage.legacyTokens).toEqual([
      {
        namespace: 'ci',
        name: 'deployer-token',
        createdAt: '2026-11-01T00:00:00Z',
        ageDays: 26,
        lastUsed: '2026-11-20',
        invalidSince: '2026-11-25',
        mountedBy: [
          { kind: 'Pod', namespace: 'ci', name: 'deployer', via: 'volume' },
          {
            kind: 'Pod',
            namespace: 'ci',
            name: 'reporter',
            container: 'main',
            via: 'env',
          },
        ],
      },
      expect.objectContaining({
        name: 'deployer-spare',
        lastUsedNote: expect.stringMatching(/alpha in 1\.26/),
        mountedBy: [],
      }),
    ]);
  });

  it('lists projected tokens with their lifetime', () => {
    expect(usage.projectedTokens).toEqual([
      {
        kind: 'Pod',
        namespace: 'ci',
        name: 'deployer',
        volume: 'api',
        expirationSeconds: 86400,
      },
    ]);
  });

  it('words the missing last-used date by what the cluster version records', () => {
    expect(lastUsedNote({ major: 1, minor: 24 })).toMatch(
      /does not exist before 1\.26/,
    );
    expect(lastUsedNote({ major: 1, minor: 29 })).toMatch(/looks unused/);
    expect(lastUsedNote(undefined)).toMatch(/version is unknown/);
  });
});
