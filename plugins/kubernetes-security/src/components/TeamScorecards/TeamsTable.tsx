import { Link, Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import type { TeamScorecard } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { GradeDistributionBar } from '../charts/GradeDistributionBar';
import { TrendChart } from '../charts/TrendChart';
import { SecurityGradeChip } from '../grades/SecurityGradeChip';
import { useSecurityTabLink } from '../grades/EntitySecurityGradeChip';

/** A link where the app has a target for it, else plain text. */
export function MaybeLink({
  to,
  children,
}: {
  to?: string;
  children: ReactNode;
}) {
  return to ? <Link to={to}>{children}</Link> : <>{children}</>;
}

/** Teams ranked by the average grade of their services, with trend and worst services. */
export function TeamsTable({
  title,
  teams,
  days,
}: {
  title: string;
  teams: TeamScorecard[];
  days: number;
}) {
  const tabLink = useSecurityTabLink();
  const columns: TableColumn<TeamScorecard>[] = [
    {
      title: 'Rank',
      field: 'rank',
      width: '6%',
      render: team => team.rank ?? '—',
    },
    {
      title: 'Team',
      field: 'title',
      render: team => (
        <MaybeLink to={tabLink(parseEntityRef(team.teamRef))}>
          {team.title}
        </MaybeLink>
      ),
    },
    {
      title: 'Grade',
      field: 'averageScore',
      width: '8%',
      render: team =>
        team.grade ? (
          <SecurityGradeChip grade={team.grade} score={team.averageScore} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            not scanned
          </Typography>
        ),
    },
    {
      title: 'Services',
      width: '8%',
      render: team => `${team.scannedCount} of ${team.serviceCount} scanned`,
    },
    {
      title: 'Grades',
      render: team => <GradeDistributionBar distribution={team.distribution} />,
    },
    {
      title: 'Worst services',
      render: team =>
        team.worstServices.length ? (
          <Box display="flex" flexDirection="column" style={{ gap: 4 }}>
            {team.worstServices.map(service => (
              <Box
                key={service.entityRef}
                display="flex"
                alignItems="center"
                style={{ gap: 8 }}
              >
                <SecurityGradeChip
                  grade={service.grade}
                  score={service.score}
                  stale={service.stale}
                  to={tabLink(parseEntityRef(service.entityRef))}
                />
                <Typography variant="body2">
                  {service.title ?? parseEntityRef(service.entityRef).name}
                </Typography>
              </Box>
            ))}
          </Box>
        ) : (
          '—'
        ),
    },
    {
      title: `Last ${days} days`,
      // The sparkline keeps its size: no squeezed charts.
      cellStyle: { minWidth: 150 },
      render: team => (
        <TrendChart
          points={team.trend.map(p => ({ day: p.day, score: p.averageScore }))}
          label={`Average score of ${team.title}`}
          compact
          width={140}
          height={36}
        />
      ),
    },
  ];
  return (
    <Table<TeamScorecard>
      title={title}
      options={{
        paging: teams.length > 20,
        pageSize: 20,
        padding: 'dense',
        search: true,
      }}
      columns={columns}
      data={teams}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No teams to show. Teams are the catalog's Groups; their services are
          the Components they own.
        </Typography>
      }
    />
  );
}
