import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { EntityReport } from '@internal/plugin-kubernetes-security-common';
import type { KubernetesSecurityApi } from './KubernetesSecurityApi';

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
    const segments = [entity.kind, entity.namespace, entity.name].map(s =>
      encodeURIComponent(s.toLocaleLowerCase('en-US')),
    );
    return this.request(`/v1/entities/${segments.join('/')}`);
  }

  startScan(clusters?: string[]): Promise<{ started: string[] }> {
    return this.request('/v1/scans', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(clusters ? { clusters } : {}),
    });
  }
}
