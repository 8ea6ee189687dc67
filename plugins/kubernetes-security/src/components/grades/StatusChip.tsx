import Chip from '@material-ui/core/Chip';
import { STATUS_STYLES, StatusTone } from './gradeStyles';

/**
 * An outcome as a coloured chip whose text says it all: the colour helps,
 * it never carries the meaning alone.
 */
export function StatusChip({
  tone,
  label,
}: {
  tone: StatusTone;
  label: string;
}) {
  const style = STATUS_STYLES[tone];
  return (
    <Chip
      size="small"
      label={label}
      style={{
        backgroundColor: style.background,
        color: style.text,
        fontWeight: 600,
      }}
    />
  );
}
