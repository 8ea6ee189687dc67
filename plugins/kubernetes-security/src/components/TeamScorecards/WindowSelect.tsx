import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

export const WINDOWS = [7, 30, 90];

/** How many days of history the trends cover. */
export function WindowSelect({
  days,
  onChange,
}: {
  days: number;
  onChange(days: number): void;
}) {
  return (
    <FormControl size="small" variant="outlined" style={{ minWidth: 140 }}>
      <InputLabel id="scorecard-window-label">Trend over</InputLabel>
      <Select
        labelId="scorecard-window-label"
        id="scorecard-window"
        label="Trend over"
        value={days}
        onChange={event => onChange(Number(event.target.value))}
      >
        {WINDOWS.map(d => (
          <MenuItem key={d} value={d}>
            {d} days
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
