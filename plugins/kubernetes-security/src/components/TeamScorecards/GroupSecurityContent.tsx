import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { TeamScorecardDetailResponse } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { relativeTime } from '../EntitySecurityContent/relativeTime';
import { GradeDistributionBar } from '../charts/GradeDistributionBar';
import { TrendChart } from '../charts/TrendChart';
import { GradeBadge } from '../grades/GradeBadge';
import { useSecurityTabLink } from '../grades/EntitySecurityGradeChip';
import { SecurityGradeChip } from '../grades/SecurityGradeChip';
import { MaybeLink, TeamsTable } from './TeamsTable';
import { WindowSelect } from './WindowSelect';
import { SectionInfoCard } from '../SectionInfoCard';

type ServiceRow = TeamScorecardDetailResponse['services'][number] & {
  id: string;
};

function ServicesTable({ services }: { services: ServiceRow[] }) {
  const tabLink = useSecurityTabLink();
  const columns: TableColumn<ServiceRow>[] = [
    {
      title: 'Service',
      render: row => (
        <MaybeLink to={tabLink(parseEntityRef(row.entityRef))}>
          {row.title ?? parseEntityRef(row.entityRef).name}
        </MaybeLink>
      ),
    },
    {
      title: 'Grade',
      width: '10%',
      render: row =>
        'grade' in row ? (
          <SecurityGradeChip
            grade={row.grade}
            score={row.score}
            stale={row.stale}
          />
        ) : (
          <Typography variant="body2" color="textSecondary">
            not scanned
          </Typography>
        ),
    },
    {
      title: 'Last scanned',
      render: row =>
        'grade' in row && row.lastScannedAt
          ? `${relativeTime(row.lastScannedAt)}${
              row.stale ? ' (a cluster failed since)' : ''
            }`
          : '—',
    },
  ];
  return (
    <Table<ServiceRow>
      title={`Services (${services.length})`}
      options={{ paging: services.length > 20, pageSize: 20, padding: 'dense' }}
      columns={columns}
      data={services}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          This team owns no Components.
        </Typography>
      }
    />
  );
}

/** A Group's Security tab: its scorecard over its and its sub-teams' services. */
export function GroupSecurityContent() {
  const { entity } = useEntity();
  const api = useApi(kubernetesSecurityApiRef);
  const ref = getCompoundEntityRef(entity);
  const [days, setDays] = useState(30);
  const { value, loading, error } = useAsync(
    () => api.getTeamScorecard(ref, { days }),
    [api, ref.namespace, ref.name, days],
  );
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading && !value) {
    return (
      <Skeleton
        variant="rect"
        height={420}
        aria-busy="true"
        aria-label="Loading team scorecard"
      />
    );
  }
  if (!value) return null;
  const { team } = value;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <SectionInfoCard title="Team security grade">
          {team.grade ? (
            <Box display="flex" alignItems="center">
              <GradeBadge grade={team.grade} />
              <Box>
                <Typography variant="h6">
                  {team.averageScore} / 100 on average
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {team.scannedCount} of {team.serviceCount} services scanned
                  {team.childRefs.length ? `, sub-teams included` : ''}
                  {team.rank ? ` · rank ${team.rank}` : ''}
                </Typography>
                <Box marginTop={1}>
                  <GradeDistributionBar distribution={team.distribution} />
                </Box>
              </Box>
            </Box>
          ) : (
            <Typography>
              None of this team's {team.serviceCount} services has been scanned
              yet.
            </Typography>
          )}
        </SectionInfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <SectionInfoCard
          title="Average score over time"
          action={<WindowSelect days={days} onChange={setDays} />}
        >
          <TrendChart
            points={team.trend.map(p => ({
              day: p.day,
              score: p.averageScore,
            }))}
            label={`Average score of ${team.title}`}
            width={560}
            height={180}
          />
        </SectionInfoCard>
      </Grid>
      <Grid item xs={12}>
        <ServicesTable
          services={value.services.map(s => ({ ...s, id: s.entityRef }))}
        />
      </Grid>
      {value.children.length > 0 && (
        <Grid item xs={12}>
          <TeamsTable
            title="Sub-teams"
            teams={value.children}
            days={value.days}
          />
        </Grid>
      )}
    </Grid>
  );
}
