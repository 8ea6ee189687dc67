import { Link } from '@backstage/core-components';
import type { Grade } from '@internal/plugin-kubernetes-security-common';
import Chip from '@material-ui/core/Chip';
import { GRADE_STYLES } from './gradeStyles';

export interface SecurityGradeChipProps {
  grade: Grade;
  score?: number;
  /** Where the chip leads, e.g. the entity's Security tab. */
  to?: string;
  /** Marks data from a cluster whose last scan failed. */
  stale?: boolean;
}

/** A grade as a small chip ("B 84"), optionally a link. For tables and cards. */
export function SecurityGradeChip({
  grade,
  score,
  to,
  stale,
}: SecurityGradeChipProps) {
  const style = GRADE_STYLES[grade];
  const label = `Security grade ${grade}${
    score !== undefined ? `, score ${score}` : ''
  }${stale ? ', partly outdated' : ''}`;
  const chip = (
    <Chip
      size="small"
      label={`${grade}${score !== undefined ? ` ${score}` : ''}${
        stale ? ' ⚠' : ''
      }`}
      aria-label={to ? undefined : label}
      title={label}
      style={{
        backgroundColor: style.background,
        color: style.text,
        fontWeight: 700,
        cursor: to ? 'pointer' : undefined,
      }}
    />
  );
  return to ? (
    <Link to={to} aria-label={label} underline="none">
      {chip}
    </Link>
  ) : (
    chip
  );
}
