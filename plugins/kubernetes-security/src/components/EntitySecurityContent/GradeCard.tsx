import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ClusterReport,
  EntityScore,
} from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { kubernetesSecurityApiRef } from '../../api/KubernetesSecurityApi';
import { TrendChart } from '../charts/TrendChart';
import { GradeBadge } from '../grades/GradeBadge';
import { checkInfo } from './checkInfo';
import { relativeTime } from './relativeTime';
import { SectionInfoCard } from '../SectionInfoCard';

const TREND_DAYS = 30;
const SPARK = { width: 180, height: 44 };

/** The last 30 days of the entity's score, sized up front: no layout jump. */
export function ScoreSparkline({ entity }: { entity: CompoundEntityRef }) {
  const api = useApi(kubernetesSecurityApiRef);
  const { value, loading, error } = useAsync(
    () => api.getEntityHistory(entity, { days: TREND_DAYS }),
    [api, entity.kind, entity.namespace, entity.name],
  );
  let content: ReactNode;
  if (loading) {
    content = <Skeleton variant="rect" {...SPARK} />;
  } else if (error || !value) {
    content = (
      <Typography variant="caption" color="textSecondary">
        Trend unavailable: {error?.message}
      </Typography>
    );
  } else {
    content = (
      <TrendChart
        points={value.points}
        label={`Score over the last ${TREND_DAYS} days`}
        compact
        {...SPARK}
      />
    );
  }
  return (
    <Box minWidth={SPARK.width} minHeight={SPARK.height + 18}>
      <Typography variant="caption" color="textSecondary" component="div">
        Last {TREND_DAYS} days
      </Typography>
      {content}
    </Box>
  );
}

/** "prod scanned 3 minutes ago · staging scanned 2 hours ago (last scan failed)". */
export function Freshness({ clusters }: { clusters: ClusterReport[] }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {clusters
        .map(
          c =>
            `${c.cluster} scanned ${relativeTime(c.scannedAt)}${
              c.stale ? ' (last scan failed)' : ''
            }`,
        )
        .join(' · ')}
    </Typography>
  );
}

/**
 * The grade, the score, and why: which workload decides it and what it lost
 * points for; its trend, freshness and the Scan now action.
 */
export function GradeCard({
  score,
  entity,
  clusters,
  action,
}: {
  score: EntityScore;
  entity: CompoundEntityRef;
  clusters: ClusterReport[];
  action?: ReactNode;
}) {
  const { workload, explanation } = score;
  return (
    <SectionInfoCard title="Security grade" action={action}>
      <Box
        display="flex"
        alignItems="flex-start"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <GradeBadge grade={score.grade} />
        <Box flex={1} minWidth={280}>
          <Typography variant="h6">{score.score} / 100</Typography>
          <Typography variant="body2" color="textSecondary">
            Set by its weakest workload: {workload.kind} {workload.namespace}/
            {workload.name} in {score.cluster}.
          </Typography>
          {explanation.gradeCap && (
            <Typography variant="body2">{explanation.gradeCap}.</Typography>
          )}
          {explanation.deductions.map(deduction => (
            <Typography variant="body2" key={deduction.area}>
              −{deduction.points} {deduction.area}:{' '}
              {deduction.checks
                .map(
                  check =>
                    `${checkInfo(check.checkId).title} (${check.severity}, −${
                      check.points
                    })`,
                )
                .join(', ')}
            </Typography>
          ))}
          {explanation.deductions.some(d => d.uncapped > d.points) && (
            <Typography variant="body2" color="textSecondary">
              Further checks of the same severity cost less each (see the
              README&apos;s scoring model).
            </Typography>
          )}
          {explanation.deductions.length === 0 && (
            <Typography variant="body2">
              No points lost: every check passed.
            </Typography>
          )}
          <Box marginTop={1}>
            <Freshness clusters={clusters} />
          </Box>
        </Box>
        <ScoreSparkline entity={entity} />
      </Box>
    </SectionInfoCard>
  );
}
