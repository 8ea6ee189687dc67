import { useApi } from '@backstage/core-plugin-api';
import type { EntityReportSummary } from '@internal/plugin-kubernetes-security-common';
import useAsync from 'react-use/esm/useAsync';
import {
  KubernetesSecurityApi,
  kubernetesSecurityApiRef,
} from '../../api/KubernetesSecurityApi';

const FRESH_MS = 60_000;

/**
 * One request per API instance and minute, however many chips or table
 * cells ask: a catalog page of 100 rows costs one call, not 100.
 */
const cache = new WeakMap<
  KubernetesSecurityApi,
  { at: number; summaries: Promise<Map<string, EntityReportSummary>> }
>();

export function loadEntitySummaries(
  api: KubernetesSecurityApi,
  now: number = Date.now(),
): Promise<Map<string, EntityReportSummary>> {
  const cached = cache.get(api);
  if (cached && now - cached.at < FRESH_MS) return cached.summaries;
  const summaries = api
    .listEntitySummaries()
    .then(items => new Map(items.map(item => [item.entityRef, item])));
  cache.set(api, { at: now, summaries });
  // A failure is not cached: the next caller asks again.
  summaries.catch(() => cache.delete(api));
  return summaries;
}

/** The summary of every scanned entity the user may see, by entity ref. */
export function useEntitySummaries() {
  const api = useApi(kubernetesSecurityApiRef);
  return useAsync(() => loadEntitySummaries(api), [api]);
}
