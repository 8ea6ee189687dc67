import type { Grade } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import { GRADE_STYLES } from './gradeStyles';

const useStyles = makeStyles(theme => ({
  grade: {
    width: 72,
    height: 72,
    borderRadius: 8,
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
  const style = GRADE_STYLES[grade];
  return (
    <Box
      className={classes.grade}
      style={{ backgroundColor: style.background, color: style.text }}
      role="img"
      aria-label={`Grade ${grade}`}
    >
      {grade}
    </Box>
  );
}
