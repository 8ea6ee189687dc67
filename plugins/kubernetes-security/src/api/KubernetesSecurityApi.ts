import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ClusterListResponse,
  EntityHistoryResponse,
  EntityReport,
  EntityReportSummary,
  TeamScorecardDetailResponse,
  TeamScorecardsResponse,
} from '@internal/plugin-kubernetes-security-common';

export interface KubernetesSecurityApi {
  getEntityReport(entity: CompoundEntityRef): Promise<EntityReport>;
  /** "Scan now": starts the scans of these clusters (all when absent); resolves to those started. */
  startScan(clusters?: string[]): Promise<{ started: string[] }>;
  /** The entity's daily scores over the last `days` days (default 30). */
  getEntityHistory(
    entity: CompoundEntityRef,
    options?: { days?: number },
  ): Promise<EntityHistoryResponse>;
  /** Summaries of every scanned entity the user may see, for catalog columns. */
  listEntitySummaries(): Promise<EntityReportSummary[]>;
  /** Every cluster the user may see, with its last scan and panel, and configuration problems. */
  listClusters(): Promise<ClusterListResponse>;
  /** Every team the user may see, ranked. */
  getTeamScorecards(options?: {
    days?: number;
  }): Promise<TeamScorecardsResponse>;
  /** One team (a Group), its services and sub-teams. */
  getTeamScorecard(
    team: CompoundEntityRef,
    options?: { days?: number },
  ): Promise<TeamScorecardDetailResponse>;
}

export const kubernetesSecurityApiRef = createApiRef<KubernetesSecurityApi>({
  id: 'plugin.kubernetes-security.api',
});
