import type {
  ClusterReport,
  Finding,
} from '@internal/plugin-kubernetes-security-common';
import { SEVERITIES } from '@internal/plugin-kubernetes-security-common/checkMetadata';

/**
 * One finding as a user sees it: the same problem at the same place of the
 * same object, however many clusters report it. Its message and evidence are
 * the first cluster's; `occurrences` keeps each cluster's own, which may
 * differ (e.g. another image tag in staging).
 */
export interface FindingRow extends Finding {
  /** Check, object, container and field path: the identity of the finding. */
  id: string;
  /** The clusters reporting it, in the report's order. */
  clusters: string[];
  occurrences: { cluster: string; message: string; evidence?: string }[];
}

function findingKey(finding: Finding): string {
  const { kind, namespace, name } = finding.object;
  return JSON.stringify([
    finding.checkId,
    kind,
    namespace ?? '',
    name,
    finding.container ?? '',
    finding.path,
  ]);
}

/** Every finding of an entity once, with the clusters it appears in; worst first. */
export function findingRows(clusters: ClusterReport[]): FindingRow[] {
  const rows = new Map<string, FindingRow>();
  for (const report of clusters) {
    const findings = [
      ...report.workloads.flatMap(w => w.findings),
      ...report.namespaces.flatMap(n => n.findings),
    ];
    for (const finding of findings) {
      const id = findingKey(finding);
      const occurrence = {
        cluster: report.cluster,
        message: finding.message,
        ...(finding.evidence !== undefined
          ? { evidence: finding.evidence }
          : {}),
      };
      const row = rows.get(id);
      if (!row) {
        rows.set(id, {
          ...finding,
          id,
          clusters: [report.cluster],
          occurrences: [occurrence],
        });
      } else if (!row.clusters.includes(report.cluster)) {
        row.clusters.push(report.cluster);
        row.occurrences.push(occurrence);
      }
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.checkId.localeCompare(b.checkId) ||
      a.id.localeCompare(b.id),
  );
}
