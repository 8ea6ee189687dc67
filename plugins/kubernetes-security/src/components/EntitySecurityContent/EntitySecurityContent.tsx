import {
  EmptyState,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { hasKubernetesAnnotations } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { useClusterLink } from '../links/useClusterLink';
import { SectionInfoCard } from '../SectionInfoCard';
import { describeError } from './clusterProblems';
import { ClusterWarnings } from './ClusterWarnings';
import { FindingsTable } from './FindingsTable';
import { Freshness, GradeCard } from './GradeCard';
import { ScanNowButton } from './ScanNowButton';
import { AdmissionSection } from './sections/AdmissionSection';
import { ClustersSection } from './sections/ClustersSection';
import { ImageSignaturesSection } from './sections/ImageSignaturesSection';
import { StorageSection } from './sections/StorageSection';
import { TokensSection } from './sections/TokensSection';
import { WorkloadHardeningSection } from './sections/WorkloadHardeningSection';

const ANNOTATION_HELP = `metadata:
  annotations:
    backstage.io/kubernetes-id: my-service
    # or: backstage.io/kubernetes-label-selector: 'app.kubernetes.io/name=my-service'`;

/** The page's shape while it loads, so nothing jumps when data arrives. */
function LoadingLayout() {
  return (
    <Grid
      container
      spacing={3}
      aria-busy="true"
      aria-label="Loading security report"
    >
      <Grid item xs={12}>
        <Skeleton variant="rect" height={36} width={140} />
      </Grid>
      <Grid item xs={12}>
        <Skeleton variant="rect" height={180} />
      </Grid>
      <Grid item xs={12}>
        <Skeleton variant="rect" height={360} />
      </Grid>
    </Grid>
  );
}

/** The entity page's Security tab. */
export function EntitySecurityContent() {
  const { entity } = useEntity();
  const api = useApi(kubernetesSecurityApiRef);
  const annotated = hasKubernetesAnnotations(entity);
  const compoundRef = getCompoundEntityRef(entity);
  const clusterLink = useClusterLink();
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (annotated ? api.getEntityReport(compoundRef) : undefined),
    [api, compoundRef.kind, compoundRef.namespace, compoundRef.name, annotated],
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
  if (loading && !value) return <LoadingLayout />;
  if (error) return <ResponseErrorPanel error={error} />;
  const lastAttempts = async () =>
    Object.fromEntries(
      (await api.getEntityReport(compoundRef)).clusters.map(c => [
        c.cluster,
        c.attemptedAt,
      ]),
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
      <SectionInfoCard title="Not scanned yet">
        <Typography paragraph>
          No scan has reported on this entity yet. Scans run on a schedule;
          check back in a few minutes, or scan now.
        </Typography>
        {scanNow}
      </SectionInfoCard>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {scanNow}
      </Grid>
      {value.errors.map((entityError, index) => (
        // Two errors may say the same thing: the index keys them.
        <Grid item xs={12} key={index}>
          <WarningPanel
            title="This entity could not be scanned fully"
            message={describeError(entityError)}
          />
        </Grid>
      ))}
      {value.clusters.map(report => (
        <ClusterWarnings
          key={report.cluster}
          report={report}
          status={value.clusterStatus?.find(s => s.cluster === report.cluster)}
          clusterLink={clusterLink(report.cluster)}
        />
      ))}
      <Grid item xs={12}>
        {value.score ? (
          <GradeCard
            score={value.score}
            entity={compoundRef}
            clusters={value.clusters}
          />
        ) : (
          <SectionInfoCard title="Security grade">
            <Typography paragraph>
              No workloads match this entity in{' '}
              {value.clusters.map(c => c.cluster).join(', ')}, so there is
              nothing to grade. Check its selector annotations below.
            </Typography>
            <Freshness clusters={value.clusters} />
          </SectionInfoCard>
        )}
      </Grid>
      <Grid item xs={12}>
        <Box component="section" aria-label="Findings">
          <FindingsTable clusters={value.clusters} />
        </Box>
      </Grid>
      <Grid item xs={12}>
        <WorkloadHardeningSection clusters={value.clusters} />
      </Grid>
      <Grid item xs={12}>
        <ImageSignaturesSection clusters={value.clusters} />
      </Grid>
      <Grid item xs={12}>
        <TokensSection clusters={value.clusters} />
      </Grid>
      <Grid item xs={12}>
        <AdmissionSection clusters={value.clusters} />
      </Grid>
      <Grid item xs={12}>
        <StorageSection clusters={value.clusters} />
      </Grid>
      <Grid item xs={12}>
        <ClustersSection report={value} />
      </Grid>
    </Grid>
  );
}
