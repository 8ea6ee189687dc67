import {
  ClusterContext,
  ClusterInventory,
  ClusterVersion,
  CONTEXT_RESOURCES,
  ContextCollection,
  emptyClusterInventory,
  KubeObject,
  qualifiedResource,
  REQUIRED_RESOURCES,
  ScanError,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import { ApiDiscovery } from './discoverApis';
import { toScanError } from './toScanError';

type CollectionKey = keyof ClusterInventory | ContextCollection;

/** The collections a scan lists, each exactly once per cluster. */
export const INVENTORY_RESOURCES = REQUIRED_RESOURCES.map(row => ({
  row,
  key: row.slot.key,
  /** How errors name it, e.g. `apps/deployments`. */
  resource: qualifiedResource(row),
  path: ApiDiscovery.collectionPath(row.group, row.version, row.resource),
}));

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The object without what no check or report reads and what can be most of
 * its size in a real cluster: server-side apply's `managedFields` and
 * `kubectl apply`'s copy of the whole last manifest.
 */
export function withoutUnreadMetadata(object: KubeObject): KubeObject {
  const metadata = object?.metadata;
  if (!metadata || typeof metadata !== 'object') return object;
  const annotations = metadata.annotations;
  const hasLastApplied =
    annotations &&
    typeof annotations === 'object' &&
    LAST_APPLIED in annotations;
  if (!('managedFields' in metadata) && !hasLastApplied) return object;
  const { managedFields: _managedFields, ...kept } = metadata as Record<
    string,
    unknown
  >;
  if (hasLastApplied) {
    const { [LAST_APPLIED]: _lastApplied, ...otherAnnotations } = annotations;
    kept.annotations = otherAnnotations;
  }
  return { ...object, metadata: kept } as KubeObject;
}

/** Collections whose absence makes checks say "unknown" rather than "none". */
const OPTIONAL_CONTEXT = CONTEXT_RESOURCES.filter(
  row => row.slot.whenUnread === 'unknown',
).map(row => row.slot.key);

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
    ...INVENTORY_RESOURCES.map(async ({ row, key, resource, path }) => {
      const served =
        row.preferDiscoveredVersion &&
        discovery?.preferredVersion(row.group, row.resource);
      try {
        collections[key] = await client.listAll<KubeObject>(
          served
            ? ApiDiscovery.collectionPath(row.group, served, row.resource)
            : path,
          { ...row.list, trim: withoutUnreadMetadata },
        );
      } catch (error) {
        errors.push(toScanError(error, resource));
      }
    }),
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
