import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { EntityReport } from '@internal/plugin-kubernetes-security-common';

export interface KubernetesSecurityApi {
  getEntityReport(entity: CompoundEntityRef): Promise<EntityReport>;
  /** "Scan now": starts the scans of these clusters (all when absent); resolves to those started. */
  startScan(clusters?: string[]): Promise<{ started: string[] }>;
}

export const kubernetesSecurityApiRef = createApiRef<KubernetesSecurityApi>({
  id: 'plugin.kubernetes-security.api',
});
