import {
  EmptyState,
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  ClusterConfigurationProblem,
  ClusterListResponse,
} from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { clustersRouteRef } from '../../routes';
import { relativeTime } from '../EntitySecurityContent/relativeTime';
import { SectionInfoCard } from '../SectionInfoCard';
import { StatusChip } from '../grades/StatusChip';
import { useClusterLink } from '../links/useClusterLink';
import { useOptionalRouteRef } from '../links/useOptionalRouteRef';
import { MaybeLink } from '../TeamScorecards/TeamsTable';
import { ClusterPanel, KubernetesVersion } from './ClusterPanel';

type ClusterRow = ClusterListResponse['items'][number] & {
  problems: ClusterConfigurationProblem[];
};

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function useClusters() {
  const api = useApi(kubernetesSecurityApiRef);
  return useAsync(() => api.listClusters(), [api]);
}

function Loading({ label }: { label: string }) {
  return (
    <Skeleton variant="rect" height={320} aria-busy="true" aria-label={label} />
  );
}

/** Every cluster the user may see, one row each, with what needs attention. */
export function ClustersContent() {
  const { value, loading, error } = useClusters();
  const clusterLink = useClusterLink();
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !value) return <Loading label="Loading clusters" />;
  const rows: ClusterRow[] = value.items.map(item => ({
    ...item,
    problems: value.problems.filter(p => p.cluster === item.name),
  }));
  const unattached = value.problems.filter(p => !p.cluster);
  const columns: TableColumn<ClusterRow>[] = [
    {
      title: 'Cluster',
      field: 'name',
      render: row => (
        <MaybeLink to={clusterLink(row.name)}>
          {row.title ?? row.name}
        </MaybeLink>
      ),
    },
    {
      title: 'Kubernetes',
      render: row => <KubernetesVersion status={row.lastScan?.status} />,
    },
    {
      title: 'Last scan',
      render: row =>
        row.lastScan ? (
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <StatusChip
              tone={row.lastScan.succeededAt ? 'ok' : 'error'}
              label={row.lastScan.succeededAt ? 'succeeded' : 'failed'}
            />
            {relativeTime(row.lastScan.attemptedAt)}
          </Box>
        ) : (
          'not scanned yet'
        ),
    },
    {
      title: 'Workloads',
      render: row => row.lastScan?.workloadCount ?? '—',
    },
    {
      title: 'Needs attention',
      render: row => {
        const missing =
          row.lastScan?.status?.permissions.filter(p => !p.allowed).length ?? 0;
        const partial = (row.lastScan?.status?.errors ?? row.lastScan?.errors)
          ?.length;
        const lines = [
          ...(row.problems.length
            ? [count(row.problems.length, 'configuration problem')]
            : []),
          ...(missing ? [count(missing, 'missing permission')] : []),
          ...(partial ? [count(partial, 'partial-data error')] : []),
        ];
        return lines.length ? (
          <StatusChip tone="warning" label={lines.join(' · ')} />
        ) : (
          <StatusChip tone="ok" label="nothing" />
        );
      },
    },
  ];
  return (
    <>
      {unattached.length > 0 && (
        <Box marginBottom={2}>
          <WarningPanel
            title="Cluster locators failed"
            message={unattached.map(p => p.message).join(' · ')}
          />
        </Box>
      )}
      <Table<ClusterRow>
        title={`Clusters (${rows.length})`}
        subtitle="Each cluster's last scan, version and what the plugin may not read there"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={rows}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            No clusters to show: none is configured, or you may see none.
          </Typography>
        }
      />
    </>
  );
}

/** One cluster's panel, at `/clusters/:cluster` below the plugin's page. */
export function ClusterContent() {
  const { cluster = '' } = useParams();
  const { value, loading, error } = useClusters();
  const clustersLink = useOptionalRouteRef(clustersRouteRef);
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !value)
    return <Loading label={`Loading cluster ${cluster}`} />;
  const item = value.items.find(i => i.name === cluster);
  const back = clustersLink && (
    <Box marginBottom={2}>
      <Link to={clustersLink()}>All clusters</Link>
    </Box>
  );
  if (!item) {
    return (
      <>
        {back}
        <EmptyState
          missing="data"
          title={`No cluster ${cluster}`}
          description="It is not configured, or you may not see it."
        />
      </>
    );
  }
  return (
    <>
      {back}
      <SectionInfoCard
        title={`Cluster ${item.title ?? item.name}`}
        subheader="Its last scan, version, the plugin's identity and permissions there, and the security features it serves"
      >
        <ClusterPanel
          scan={item.lastScan}
          problems={value.problems.filter(p => p.cluster === item.name)}
        />
      </SectionInfoCard>
    </>
  );
}
