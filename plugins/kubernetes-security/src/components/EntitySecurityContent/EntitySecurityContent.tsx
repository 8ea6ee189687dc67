import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ClusterReport,
  hasKubernetesAnnotations,
  ScanError,
  WorkloadSummary,
} from '@internal/plugin-kubernetes-security-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { FindingsTable } from './FindingsTable';
import { GradeCard } from './GradeCard';
import { relativeTime } from './relativeTime';
import { ScanNowButton } from './ScanNowButton';

const ANNOTATION_HELP = `metadata:
  annotations:
    backstage.io/kubernetes-id: my-service
    # or: backstage.io/kubernetes-label-selector: 'app.kubernetes.io/name=my-service'`;

/** Digests are long: show enough to tell them apart, the rest on hover. */
function shortImage(image: string): string {
  return image.replace(/@(sha256:[0-9a-f]{12})[0-9a-f]+/, '@$1…');
}

const workloadColumns: TableColumn<WorkloadSummary>[] = [
  {
    title: 'Kind',
    field: 'kind',
    width: '10%',
    cellStyle: { whiteSpace: 'nowrap' },
  },
  { title: 'Namespace', field: 'namespace', width: '15%' },
  { title: 'Name', field: 'name' },
  {
    title: 'Grade',
    width: '6%',
    render: w => `${w.score.grade} (${w.score.score})`,
  },
  {
    title: 'Pods',
    width: '10%',
    render: w =>
      w.replicas
        ? `${w.replicas.ready ?? 0}/${w.replicas.desired ?? 0} ready`
        : String(w.pods.length),
  },
  { title: 'Service account', field: 'serviceAccountName', width: '15%' },
  {
    title: 'Images',
    width: '35%',
    render: w => (
      <>
        {w.containers.map(c => (
          <Typography
            key={`${c.type}:${c.name}`}
            variant="body2"
            component="div"
          >
            {c.name}
            {c.type !== 'container' ? ` (${c.type})` : ''}:{' '}
            <code title={c.image}>{shortImage(c.image)}</code>
          </Typography>
        ))}
      </>
    ),
  },
];

function describeError(error: ScanError): string {
  return error.resource ? `${error.resource}: ${error.message}` : error.message;
}

/** Banners that keep partial or outdated data from looking like a clean result. */
function ClusterWarnings({ report }: { report: ClusterReport }) {
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
      {report.errors.length > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            title={`Cluster ${report.cluster}: partial data (${
              report.errors.length
            } problem${report.errors.length > 1 ? 's' : ''})`}
            message={
              // WarningPanel renders the message inside a <p>: no block elements.
              <>
                {report.errors.map(error => (
                  <span key={describeError(error)} style={{ display: 'block' }}>
                    <strong>{error.type}</strong> {describeError(error)}
                  </span>
                ))}
              </>
            }
          />
        </Grid>
      )}
    </>
  );
}

function WorkloadsTable({ report }: { report: ClusterReport }) {
  return (
    <Grid item xs={12}>
      <Table<WorkloadSummary>
        title={`Workloads in ${report.cluster}`}
        subtitle={`scanned ${relativeTime(report.scannedAt)} · selector ${
          report.labelSelector
        }${report.namespace ? ` · namespace ${report.namespace}` : ''}`}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={workloadColumns}
        data={report.workloads}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            No workloads match this entity in {report.cluster}.
          </Typography>
        }
      />
    </Grid>
  );
}

/** The entity page's Security tab. */
export function EntitySecurityContent() {
  const { entity } = useEntity();
  const api = useApi(kubernetesSecurityApiRef);
  const annotated = hasKubernetesAnnotations(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    async () =>
      annotated ? api.getEntityReport(getCompoundEntityRef(entity)) : undefined,
    [api, entity, annotated],
  );

  if (!annotated) {
    return (
      <EmptyState
        missing="field"
        title="No Kubernetes annotations"
        description="Add the annotations the Kubernetes plugin uses to this entity's catalog-info.yaml, and its workloads will be scanned on the next run."
        action={<pre>{ANNOTATION_HELP}</pre>}
      />
    );
  }
  // While a reload runs, keep showing the previous report: no layout jumps.
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const lastAttempts = async () =>
    Object.fromEntries(
      (await api.getEntityReport(getCompoundEntityRef(entity))).clusters.map(
        c => [c.cluster, c.attemptedAt],
      ),
    );
  const scanNow = (
    <ScanNowButton
      clusters={
        value?.clusters.length ? value.clusters.map(c => c.cluster) : undefined
      }
      lastAttempts={lastAttempts}
      onScanned={retry}
    />
  );
  if (!value || value.clusters.length === 0) {
    return (
      <InfoCard title="Not scanned yet">
        <Typography paragraph>
          No scan has reported on this entity yet. Scans run on a schedule;
          check back in a few minutes, or scan now.
        </Typography>
        {scanNow}
      </InfoCard>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {scanNow}
      </Grid>
      {value.errors.map(entityError => (
        <Grid item xs={12} key={entityError.message}>
          <WarningPanel
            title="This entity could not be scanned fully"
            message={describeError(entityError)}
          />
        </Grid>
      ))}
      {value.clusters.map(report => (
        <ClusterWarnings key={report.cluster} report={report} />
      ))}
      {value.score && (
        <Grid item xs={12}>
          <GradeCard score={value.score} />
        </Grid>
      )}
      <Grid item xs={12}>
        <FindingsTable clusters={value.clusters} />
      </Grid>
      {value.clusters.map(report => (
        <WorkloadsTable key={report.cluster} report={report} />
      ))}
    </Grid>
  );
}
