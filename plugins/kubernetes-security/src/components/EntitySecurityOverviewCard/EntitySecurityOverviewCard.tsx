import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { hasKubernetesAnnotations } from '@internal/plugin-kubernetes-security-common';
import {
  checkMetadata,
  SEVERITIES,
} from '@internal/plugin-kubernetes-security-common/checkMetadata';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { SeverityChip } from '../EntitySecurityContent/FindingsTable';
import { findingRows } from '../EntitySecurityContent/findingRows';
import { GradeBadge } from '../grades/GradeBadge';
import { SectionInfoCard } from '../SectionInfoCard';

/** For the entity Overview tab: grade, counts by severity, the worst three findings. */
export function EntitySecurityOverviewCard() {
  const { entity } = useEntity();
  const api = useApi(kubernetesSecurityApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const compoundRef = getCompoundEntityRef(entity);
  const annotated = hasKubernetesAnnotations(entity);
  const { value, loading, error } = useAsync(
    async () => (annotated ? api.getEntityReport(compoundRef) : undefined),
    [api, compoundRef.kind, compoundRef.namespace, compoundRef.name, annotated],
  );
  const tabLink = `${entityRoute(
    entityRouteParams(entity),
  )}/kubernetes-security`;

  let content;
  if (!annotated) {
    content = (
      <Typography>This entity has no Kubernetes annotations.</Typography>
    );
  } else if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value?.score) {
    content = <Typography>No workloads scanned yet.</Typography>;
  } else {
    const rows = findingRows(value.clusters);
    const partial = value.clusters.some(c => c.stale || c.errors.length > 0);
    content = (
      <>
        <Box display="flex" alignItems="center" marginBottom={2}>
          <GradeBadge grade={value.score.grade} />
          <Box>
            <Typography variant="h6">{value.score.score} / 100</Typography>
            <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
              {SEVERITIES.map(severity => {
                const count = rows.filter(r => r.severity === severity).length;
                return count ? (
                  <Box
                    key={severity}
                    display="flex"
                    alignItems="center"
                    style={{ gap: 4 }}
                  >
                    <SeverityChip severity={severity} />
                    <Typography variant="body2">{count}</Typography>
                  </Box>
                ) : null;
              })}
            </Box>
          </Box>
        </Box>
        {partial && (
          <Typography variant="body2" color="error">
            Some data is missing or outdated: see the Security tab.
          </Typography>
        )}
        {rows.slice(0, 3).map(row => (
          <Typography variant="body2" key={row.id}>
            <strong>{checkMetadata(row.checkId)?.title ?? row.checkId}</strong>:{' '}
            {row.message}
            {value.clusters.length > 1 ? ` (${row.clusters.join(', ')})` : ''}
          </Typography>
        ))}
      </>
    );
  }
  return (
    <SectionInfoCard
      title="Kubernetes security"
      deepLink={
        annotated
          ? { title: 'View security details', link: tabLink }
          : undefined
      }
    >
      {content}
    </SectionInfoCard>
  );
}
