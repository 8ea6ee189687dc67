import { Link, WarningPanel } from '@backstage/core-components';
import type {
  ClusterReport,
  ClusterStatus,
} from '@internal/plugin-kubernetes-security-common';
import Grid from '@material-ui/core/Grid';
import { problemsAffectingEntity } from './clusterProblems';
import { relativeTime } from './relativeTime';

/** Data older than this is flagged even when the last scan succeeded. */
export const OLD_DATA_MS = 24 * 3_600_000;

/** "See cluster prod" as a link to its panel, or plain text where the page is not mounted. */
function ClusterPanelLink({
  cluster,
  link,
}: {
  cluster: string;
  link?: string;
}) {
  const text = `Cluster ${cluster}: scans, permissions and the ClusterRole that grants what is missing`;
  // WarningPanel renders the message inside a <p>: no block elements.
  return (
    <span style={{ display: 'block', marginTop: 8 }}>
      {link ? <Link to={link}>{text}</Link> : text}
    </span>
  );
}

/**
 * Banners that keep partial or outdated data from looking like a clean
 * result: a failed last scan, data that is simply old, and the cluster's
 * problems that affect this entity's data (partial data, missing RBAC).
 * Cluster problems that do not, and the full list, are on the cluster view.
 */
export function ClusterWarnings({
  report,
  status,
  clusterLink,
  now = Date.now(),
}: {
  report: ClusterReport;
  status?: ClusterStatus;
  /** The cluster's panel; absent where the plugin's page is not mounted. */
  clusterLink?: string;
  now?: number;
}) {
  const problems = problemsAffectingEntity(report, status);
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
      {problems.length > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            title={`Cluster ${report.cluster}: partial data for this entity (${
              problems.length
            } problem${problems.length > 1 ? 's' : ''})`}
            message={
              <>
                {problems.map(problem => (
                  <span key={problem} style={{ display: 'block' }}>
                    {problem}
                  </span>
                ))}
                <ClusterPanelLink cluster={report.cluster} link={clusterLink} />
              </>
            }
          />
        </Grid>
      )}
    </>
  );
}
