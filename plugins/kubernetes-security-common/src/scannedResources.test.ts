import { emptyAdmissionInventory } from './admission/inventory';
import { clusterContextFromObjects } from './clusterObjects';
import type { KubeObject } from './kubernetes';
import type { WorkloadKind } from './kubernetes';
import {
  ADMISSION_RESOURCES,
  CONTEXT_RESOURCES,
  type ContextCollection,
  REQUIRED_RESOURCES,
  WORKLOAD_RESOURCES,
} from './scannedResources';
import {
  clusterInventoryFromObjects,
  emptyClusterInventory,
  WORKLOAD_API_VERSIONS,
} from './workloads';

// Typed records: a collection or kind added to the types fails to compile here until the table has it.
const CONTEXT_COLLECTIONS: Record<ContextCollection, true> = {
  namespaces: true,
  serviceAccounts: true,
  serviceAccountTokens: true,
  roleBindings: true,
  clusterRoleBindings: true,
  persistentVolumeClaims: true,
  persistentVolumes: true,
  csiDrivers: true,
  storageClasses: true,
  nodes: true,
};
const WORKLOAD_KINDS: Record<WorkloadKind, true> = {
  Pod: true,
  Deployment: true,
  ReplicaSet: true,
  StatefulSet: true,
  DaemonSet: true,
  Job: true,
  CronJob: true,
};

const object = (kind: string, name: string, extra: object = {}): KubeObject =>
  ({ kind, metadata: { name }, ...extra } as KubeObject);

describe('the resources a scan reads', () => {
  it('fill every slot of the inventory, the context and the admission inventory', () => {
    expect(WORKLOAD_RESOURCES.map(row => row.slot.key)).toEqual(
      Object.keys(emptyClusterInventory()),
    );
    expect(CONTEXT_RESOURCES.map(row => row.slot.key).sort()).toEqual(
      Object.keys(CONTEXT_COLLECTIONS).sort(),
    );
    const { served, errors, params, ...listed } = emptyAdmissionInventory();
    expect([...new Set(ADMISSION_RESOURCES.map(row => row.slot.key))]).toEqual(
      Object.keys(listed),
    );
  });

  it('name each kind read on every cluster once, every workload kind among them', () => {
    const kinds = REQUIRED_RESOURCES.map(row => row.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(WORKLOAD_RESOURCES.map(row => row.kind).sort()).toEqual(
      Object.keys(WORKLOAD_KINDS).sort(),
    );
    expect(WORKLOAD_API_VERSIONS).toMatchObject({
      Pod: 'v1',
      Deployment: 'apps/v1',
      CronJob: 'batch/v1',
    });
  });
});

describe('manifests slotted as a scan lists them', () => {
  it('put each workload kind in its inventory slot and leave other kinds out', () => {
    const deployment = object('Deployment', 'web');
    const cronJob = object('CronJob', 'nightly');
    const pod = object('Pod', 'web-1');
    const inventory = clusterInventoryFromObjects([
      deployment,
      object('Namespace', 'shop'),
      cronJob,
      pod,
      object('constructor', 'not-a-kind'),
    ]);
    expect(inventory).toEqual({
      ...emptyClusterInventory(),
      deployments: [deployment],
      cronJobs: [cronJob],
      pods: [pod],
    });
  });

  it('put context kinds in their collection, namespaced ones defaulted, token Secrets as metadata only', () => {
    const context = clusterContextFromObjects([
      object('Namespace', 'shop'),
      object('ServiceAccount', 'cart'),
      object('Secret', 'cart-token', {
        type: 'kubernetes.io/service-account-token',
        data: { token: 'c2VjcmV0' },
      }),
      object('Secret', 'db-password', { type: 'Opaque' }),
      object('PersistentVolume', 'pv-1'),
      object('Deployment', 'web'),
    ]);
    expect(context).toEqual({
      namespaces: [object('Namespace', 'shop')],
      serviceAccounts: [
        {
          kind: 'ServiceAccount',
          metadata: { name: 'cart', namespace: 'default' },
        },
      ],
      serviceAccountTokens: [
        { metadata: { name: 'cart-token', namespace: 'default' } },
      ],
      persistentVolumes: [object('PersistentVolume', 'pv-1')],
    });
  });
});
