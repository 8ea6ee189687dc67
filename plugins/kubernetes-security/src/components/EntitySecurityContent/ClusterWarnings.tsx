import { WarningPanel } from '@backstage/core-components';
import type {
  ClusterReport,
  ClusterStatus,
  ScanError,
} from '@internal/plugin-kubernetes-security-common';
import Grid from '@material-ui/core/Grid';
import { relativeTime } from './relativeTime';

/** Data older than this is flagged even when the last scan succeeded. */
export const OLD_DATA_MS = 24 * 3_600_000;

export function describeError(error: ScanError): string {
  return error.resource ? `${error.resource}: ${error.message}` : error.message;
}

function Lines({ lines }: { lines: { key: string; text: React.ReactNode }[] }) {
  // WarningPanel renders the message inside a <p>: no block elements.
  return (
    <>
      {lines.map(line => (
        <span key={line.key} style={{ display: 'block' }}>
          {line.text}
        </span>
      ))}
    </>
  );
}

/**
 * Banners that keep partial or outdated data from looking like a clean
 * result: a failed last scan, resources that could not be listed, missing
 * RBAC, and data that is simply old.
 */
export function ClusterWarnings({
  report,
  status,
  now = Date.now(),
}: {
  report: ClusterReport;
  status?: ClusterStatus;
  now?: number;
}) {
  const missing = status?.permissions.filter(p => !p.allowed) ?? [];
  const old =
    !report.stale && now - new Date(report.scannedAt).getTime() > OLD_DATA_MS;
  return (
    <>
      {report.stale && (
        <Grid item xs={12}>
          <WarningPanel
            severity="error"
            title={`Cluster ${
              report.cluster
            }: data from the last successful scan (${relativeTime(
              report.scannedAt,
            )})`}
            message={`The latest scan failed: ${
              report.staleReason ?? 'unknown reason'
            }. What is shown may be outdated.`}
          />
        </Grid>
      )}
      {old && (
        <Grid item xs={12}>
          <WarningPanel
            title={`Cluster ${report.cluster}: last scanned ${relativeTime(
              report.scannedAt,
            )}`}
            message="No scan has reported since; the data may be outdated. Check that scans are scheduled and running."
          />
        </Grid>
      )}
      {report.errors.length > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            title={`Cluster ${report.cluster}: partial data (${
              report.errors.length
            } problem${report.errors.length > 1 ? 's' : ''})`}
            message={
              <Lines
                lines={report.errors.map(error => ({
                  key: describeError(error),
                  text: (
                    <>
                      <strong>{error.type}</strong> {describeError(error)}
                    </>
                  ),
                }))}
              />
            }
          />
        </Grid>
      )}
      {missing.length > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            title={`Cluster ${report.cluster}: missing RBAC (${
              missing.length
            } permission${missing.length > 1 ? 's' : ''})`}
            message={
              <Lines
                lines={missing.map(p => ({
                  key: `${p.verb} ${p.resource} ${p.namespace ?? ''}`,
                  text: `${p.verb} ${p.resource}${
                    p.namespace ? ` in ${p.namespace}` : ''
                  }: without it, ${
                    p.neededFor
                  } is missing. The Cluster section has a ClusterRole that grants it.`,
                }))}
              />
            }
          />
        </Grid>
      )}
    </>
  );
}
