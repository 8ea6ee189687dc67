import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  ClusterListResponse,
  EntityHistoryResponse,
  EntityReport,
  EntityReportSummary,
  TeamScorecardDetailResponse,
  TeamScorecardsResponse,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesSecurityApi } from './KubernetesSecurityApi';

function refPath(entity: CompoundEntityRef): string {
  return [entity.kind, entity.namespace, entity.name]
    .map(s => encodeURIComponent(s.toLocaleLowerCase('en-US')))
    .join('/');
}

function daysQuery(options?: { days?: number }): string {
  return options?.days ? `?days=${encodeURIComponent(options.days)}` : '';
}

/** Talks to the backend plugin with the signed-in user's credentials. */
export class KubernetesSecurityClient implements KubernetesSecurityApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl(
      'kubernetes-security',
    );
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  getEntityReport(entity: CompoundEntityRef): Promise<EntityReport> {
    return this.request(`/v1/entities/${refPath(entity)}`);
  }

  startScan(clusters?: string[]): Promise<{ started: string[] }> {
    return this.request('/v1/scans', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(clusters ? { clusters } : {}),
    });
  }

  getEntityHistory(
    entity: CompoundEntityRef,
    options?: { days?: number },
  ): Promise<EntityHistoryResponse> {
    return this.request(
      `/v1/entities/${refPath(entity)}/history${daysQuery(options)}`,
    );
  }

  async listEntitySummaries(): Promise<EntityReportSummary[]> {
    const { items } = await this.request<{ items: EntityReportSummary[] }>(
      '/v1/entities',
    );
    return items;
  }

  listClusters(): Promise<ClusterListResponse> {
    return this.request('/v1/clusters');
  }

  getTeamScorecards(options?: {
    days?: number;
  }): Promise<TeamScorecardsResponse> {
    return this.request(`/v1/scorecards/teams${daysQuery(options)}`);
  }

  getTeamScorecard(
    team: CompoundEntityRef,
    options?: { days?: number },
  ): Promise<TeamScorecardDetailResponse> {
    const [, namespace, name] = refPath({ ...team, kind: 'group' }).split('/');
    return this.request(
      `/v1/scorecards/teams/${namespace}/${name}${daysQuery(options)}`,
    );
  }
}
