import { InfoCard } from '@backstage/core-components';
import type {
  EntityScore,
  Grade,
} from '@internal/plugin-kubernetes-security-common';
import { getCheck } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const GRADE_COLORS: Record<string, string> = {
  A: '#2e7d32',
  B: '#558b2f',
  C: '#f9a825',
  D: '#ef6c00',
  F: '#c62828',
};

const useStyles = makeStyles(theme => ({
  grade: {
    width: 72,
    height: 72,
    borderRadius: 8,
    color: '#fff',
    fontSize: 40,
    fontWeight: 700,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    marginRight: theme.spacing(3),
    flexShrink: 0,
  },
}));

/** The grade letter on its colour, readable by screen readers. */
export function GradeBadge({ grade }: { grade: Grade }) {
  const classes = useStyles();
  return (
    <Box
      className={classes.grade}
      style={{ backgroundColor: GRADE_COLORS[grade] }}
      role="img"
      aria-label={`Grade ${grade}`}
    >
      {grade}
    </Box>
  );
}

/** The grade, the score, and why: which workload decides it and what it lost points for. */
export function GradeCard({ score }: { score: EntityScore }) {
  const { workload, explanation } = score;
  return (
    <InfoCard title="Security grade">
      <Box display="flex" alignItems="flex-start">
        <GradeBadge grade={score.grade} />
        <Box>
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
              −{deduction.points} {deduction.area}
              {deduction.uncapped > deduction.points
                ? ` (capped from −${deduction.uncapped})`
                : ''}
              :{' '}
              {deduction.checks
                .map(
                  check =>
                    `${getCheck(check.checkId)?.title ?? check.checkId} (${
                      check.severity
                    })`,
                )
                .join(', ')}
            </Typography>
          ))}
        </Box>
      </Box>
    </InfoCard>
  );
}
