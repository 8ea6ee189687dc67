import type {
  ClusterInventory,
  KubeObject,
  ScanError,
} from '@internal/plugin-kubernetes-security-common';
import { KubernetesApiClient, KubernetesRequestError } from '../clusters/KubernetesApiClient';

/** The collections a scan lists, each exactly once per cluster. */
export const INVENTORY_RESOURCES: { key: keyof ClusterInventory; resource: string; path: string }[] = [
  { key: 'pods', resource: 'pods', path: '/api/v1/pods' },
  { key: 'deployments', resource: 'apps/deployments', path: '/apis/apps/v1/deployments' },
  { key: 'replicaSets', resource: 'apps/replicasets', path: '/apis/apps/v1/replicasets' },
  { key: 'statefulSets', resource: 'apps/statefulsets', path: '/apis/apps/v1/statefulsets' },
  { key: 'daemonSets', resource: 'apps/daemonsets', path: '/apis/apps/v1/daemonsets' },
  { key: 'jobs', resource: 'batch/jobs', path: '/apis/batch/v1/jobs' },
  { key: 'cronJobs', resource: 'batch/cronjobs', path: '/apis/batch/v1/cronjobs' },
];

export interface CollectedInventory {
  inventory: ClusterInventory;
  /** One entry per collection that could not be listed. */
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

export async function collectInventory(client: KubernetesApiClient): Promise<CollectedInventory> {
  const inventory: ClusterInventory = {
    pods: [],
    deployments: [],
    replicaSets: [],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
    cronJobs: [],
  };
  const errors: ScanError[] = [];
  await Promise.all(
    INVENTORY_RESOURCES.map(async ({ key, resource, path }) => {
      try {
        inventory[key] = await client.listAll<KubeObject>(path);
      } catch (error) {
        errors.push(toScanError(error, resource));
      }
    }),
  );
  errors.sort((a, b) => (a.resource ?? '').localeCompare(b.resource ?? ''));
  return { inventory, errors, failed: errors.length === INVENTORY_RESOURCES.length };
}
