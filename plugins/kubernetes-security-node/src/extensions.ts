import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { KubernetesSecurityClusterSupplier } from './clusters';

export interface KubernetesSecurityClustersExtensionPoint {
  /** Adds clusters on top of those from `kubernetes.clusterLocatorMethods`. */
  addClusterSupplier(supplier: KubernetesSecurityClusterSupplier): void;
}

export const kubernetesSecurityClustersExtensionPoint =
  createExtensionPoint<KubernetesSecurityClustersExtensionPoint>({
    id: 'kubernetes-security.clusters',
  });
