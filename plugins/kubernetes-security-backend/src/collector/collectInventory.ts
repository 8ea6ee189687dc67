import {
  ClusterContext,
  ClusterInventory,
  ClusterVersion,
  emptyClusterInventory,
  KubeObject,
  ScanError,
} from '@internal/plugin-kubernetes-security-common';
import type {
  KubernetesApiClient,
  ListOptions,
} from '../clusters/KubernetesApiClient';
import { ApiDiscovery } from './discovery';
import { toScanError } from './toScanError';

type ContextKey = Exclude<keyof ClusterContext, 'clusterVersion'>;
type CollectionKey = keyof ClusterInventory | ContextKey;

/** The collections a scan lists, each exactly once per cluster. */
export const INVENTORY_RESOURCES: {
  key: CollectionKey;
  resource: string;
  path: string;
  list?: ListOptions;
  /** Served at another version on some clusters: take the one discovery prefers. */
  discover?: { group: string; plural: string };
}[] = [
  { key: 'namespaces', resource: 'namespaces', path: '/api/v1/namespaces' },
  // Legacy token Secrets as metadata only: names, labels and annotations,
  // never their values. RBAC cannot enforce this; this request shape does.
  {
    key: 'serviceAccountTokens',
    resource: 'secrets',
    path: '/api/v1/secrets',
    list: {
      fieldSelector: 'type=kubernetes.io/service-account-token',
      metadataOnly: true,
    },
  },
  {
    key: 'serviceAccounts',
    resource: 'serviceaccounts',
    path: '/api/v1/serviceaccounts',
  },
  { key: 'pods', resource: 'pods', path: '/api/v1/pods' },
  {
    key: 'deployments',
    resource: 'apps/deployments',
    path: '/apis/apps/v1/deployments',
  },
  {
    key: 'replicaSets',
    resource: 'apps/replicasets',
    path: '/apis/apps/v1/replicasets',
  },
  {
    key: 'statefulSets',
    resource: 'apps/statefulsets',
    path: '/apis/apps/v1/statefulsets',
  },
  {
    key: 'daemonSets',
    resource: 'apps/daemonsets',
    path: '/apis/apps/v1/daemonsets',
  },
  { key: 'jobs', resource: 'batch/jobs', path: '/apis/batch/v1/jobs' },
  {
    key: 'cronJobs',
    resource: 'batch/cronjobs',
    path: '/apis/batch/v1/cronjobs',
    // batch/v1 from 1.21; older clusters serve v1beta1 only.
    discover: { group: 'batch', plural: 'cronjobs' },
  },
  // Which ServiceAccounts hold rights of their own (automount heuristics).
  {
    key: 'roleBindings',
    resource: 'rbac.authorization.k8s.io/rolebindings',
    path: '/apis/rbac.authorization.k8s.io/v1/rolebindings',
  },
  {
    key: 'clusterRoleBindings',
    resource: 'rbac.authorization.k8s.io/clusterrolebindings',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  },
  // What the kubelet does with fsGroup on CSI volumes (KEP-2317).
  {
    key: 'persistentVolumeClaims',
    resource: 'persistentvolumeclaims',
    path: '/api/v1/persistentvolumeclaims',
  },
  {
    key: 'persistentVolumes',
    resource: 'persistentvolumes',
    path: '/api/v1/persistentvolumes',
  },
  {
    key: 'csiDrivers',
    resource: 'storage.k8s.io/csidrivers',
    path: '/apis/storage.k8s.io/v1/csidrivers',
  },
  {
    key: 'storageClasses',
    resource: 'storage.k8s.io/storageclasses',
    path: '/apis/storage.k8s.io/v1/storageclasses',
  },
  // Windows nodes, by their labels only.
  {
    key: 'nodes',
    resource: 'nodes',
    path: '/api/v1/nodes',
    list: { metadataOnly: true },
  },
];

/** Collections whose absence makes checks say "unknown" rather than "none". */
const OPTIONAL_CONTEXT: ContextKey[] = [
  'serviceAccountTokens',
  'roleBindings',
  'clusterRoleBindings',
  'persistentVolumeClaims',
  'persistentVolumes',
  'csiDrivers',
  'storageClasses',
  'nodes',
];

export interface CollectedInventory {
  inventory: ClusterInventory;
  context: ClusterContext;
  /** `/version`'s gitVersion, when it could be read. */
  gitVersion?: string;
  /** One entry per collection that could not be read. */
  errors: ScanError[];
  /** Nothing at all could be read: keep the previous result instead. */
  failed: boolean;
}

/** `1.27+` style minors of managed clusters count as 27. */
export function parseClusterVersion(info: {
  major?: string;
  minor?: string;
}): ClusterVersion | undefined {
  const major = parseInt(info.major ?? '', 10);
  const minor = parseInt(info.minor ?? '', 10);
  return Number.isNaN(major) || Number.isNaN(minor)
    ? undefined
    : { major, minor };
}

export async function collectInventory(
  client: KubernetesApiClient,
  discovery?: ApiDiscovery,
): Promise<CollectedInventory> {
  const collections: Partial<Record<CollectionKey, KubeObject[]>> = {
    namespaces: [],
    serviceAccounts: [],
    ...emptyClusterInventory(),
  };
  const errors: ScanError[] = [];
  let version:
    | { major?: string; minor?: string; gitVersion?: string }
    | undefined;
  await Promise.all([
    client.request<typeof version>('GET', '/version').then(
      info => {
        version = info;
      },
      error => {
        errors.push(toScanError(error, 'version'));
      },
    ),
    ...INVENTORY_RESOURCES.map(
      async ({ key, resource, path, list, discover }) => {
        const served =
          discover &&
          discovery?.preferredVersion(discover.group, discover.plural);
        try {
          collections[key] = await client.listAll<KubeObject>(
            served
              ? ApiDiscovery.collectionPath(
                  discover.group,
                  served,
                  discover.plural,
                )
              : path,
            list,
          );
        } catch (error) {
          errors.push(toScanError(error, resource));
        }
      },
    ),
  ]);
  errors.sort((a, b) => (a.resource ?? '').localeCompare(b.resource ?? ''));
  const clusterVersion = version ? parseClusterVersion(version) : undefined;
  const context: ClusterContext = {
    namespaces: collections.namespaces ?? [],
    serviceAccounts: collections.serviceAccounts ?? [],
    ...(clusterVersion ? { clusterVersion } : {}),
  };
  for (const key of OPTIONAL_CONTEXT) {
    if (collections[key]) context[key] = collections[key];
  }
  const inventory = emptyClusterInventory();
  for (const key of Object.keys(inventory) as (keyof ClusterInventory)[]) {
    inventory[key] = collections[key] ?? [];
  }
  return {
    inventory,
    context,
    ...(version?.gitVersion ? { gitVersion: version.gitVersion } : {}),
    errors,
    failed: errors.length === INVENTORY_RESOURCES.length + 1,
  };
}
