import {
  ClusterContext,
  ClusterInventory,
  ClusterVersion,
  emptyClusterInventory,
  KubeObject,
  ScanError,
} from '@internal/plugin-kubernetes-security-common';
import {
  KubernetesApiClient,
  KubernetesRequestError,
  ListOptions,
} from '../clusters/KubernetesApiClient';

type CollectionKey =
  | keyof ClusterInventory
  | 'namespaces'
  | 'serviceAccounts'
  | 'serviceAccountTokens';

/** The collections a scan lists, each exactly once per cluster. */
export const INVENTORY_RESOURCES: {
  key: CollectionKey;
  resource: string;
  path: string;
  list?: ListOptions;
}[] = [
  { key: 'namespaces', resource: 'namespaces', path: '/api/v1/namespaces' },
  // Legacy token Secrets as metadata only: names, labels and annotations,
  // never their values. RBAC cannot enforce this; this request shape does.
  {
    key: 'serviceAccountTokens',
    resource: 'secrets',
    path: '/api/v1/secrets',
    list: { fieldSelector: 'type=kubernetes.io/service-account-token', metadataOnly: true },
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
  },
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

export function toScanError(error: unknown, resource?: string): ScanError {
  if (error instanceof KubernetesRequestError) {
    return {
      type: error.type,
      message: error.message,
      ...(resource ? { resource } : {}),
      ...(error.statusCode ? { statusCode: error.statusCode } : {}),
    };
  }
  return {
    type: 'UNKNOWN',
    message: error instanceof Error ? error.message : String(error),
    ...(resource ? { resource } : {}),
  };
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
): Promise<CollectedInventory> {
  const collections: Record<CollectionKey, KubeObject[]> = {
    namespaces: [],
    serviceAccounts: [],
    serviceAccountTokens: [],
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
    ...INVENTORY_RESOURCES.map(async ({ key, resource, path, list }) => {
      try {
        collections[key] = await client.listAll<KubeObject>(path, list);
      } catch (error) {
        errors.push(toScanError(error, resource));
      }
    }),
  ]);
  errors.sort((a, b) => (a.resource ?? '').localeCompare(b.resource ?? ''));
  const { namespaces, serviceAccounts, serviceAccountTokens, ...inventory } = collections;
  const clusterVersion = version ? parseClusterVersion(version) : undefined;
  return {
    inventory,
    context: {
      namespaces,
      serviceAccounts,
      serviceAccountTokens,
      ...(clusterVersion ? { clusterVersion } : {}),
    },
    ...(version?.gitVersion ? { gitVersion: version.gitVersion } : {}),
    errors,
    failed: errors.length === INVENTORY_RESOURCES.length + 1,
  };
}
