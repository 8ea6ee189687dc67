import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { describeTrend, scorePolyline } from './chartGeometry';

export interface TrendChartProps {
  points: { day: string; score: number }[];
  /** Names the series for screen readers, e.g. "Average score of Payments". */
  label: string;
  width?: number;
  height?: number;
  /** A sparkline: no axes, no labels. */
  compact?: boolean;
}

const GRADE_LINES = [90, 80, 70, 60];

/**
 * A 0–100 score over days as an SVG line, with the grade thresholds as
 * guides. Fixed size, so it never shifts the layout as data arrives.
 */
export function TrendChart({
  points,
  label,
  width = 480,
  height = 160,
  compact = false,
}: TrendChartProps) {
  const theme = useTheme();
  const padding = compact ? 4 : 24;
  const placed = scorePolyline(points, { width, height, padding });
  const description = `${label}: ${describeTrend(points)}`;
  const y = (score: number) =>
    padding + (height - 2 * padding) * (1 - score / 100);
  if (points.length === 0) {
    return (
      <Box
        width={width}
        height={height}
        display="flex"
        alignItems="center"
        justifyContent="center"
      >
        <Typography variant="body2" color="textSecondary">
          No history yet
        </Typography>
      </Box>
    );
  }
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={description}
      style={{ maxWidth: '100%', display: 'block' }}
    >
      <title>{description}</title>
      {!compact &&
        GRADE_LINES.map(score => (
          <g key={score}>
            <line
              x1={padding}
              x2={width - padding}
              y1={y(score)}
              y2={y(score)}
              stroke={theme.palette.divider}
              strokeDasharray="4 4"
            />
            <text
              x={2}
              y={y(score) + 4}
              fontSize={10}
              fill={theme.palette.text.secondary}
            >
              {score}
            </text>
          </g>
        ))}
      <polyline
        fill="none"
        stroke={theme.palette.primary.main}
        strokeWidth={compact ? 2 : 2.5}
        points={placed.map(p => `${p.x},${p.y}`).join(' ')}
      />
      {placed.map(p => (
        <circle
          key={p.day}
          cx={p.x}
          cy={p.y}
          // A lone point must stay visible in a sparkline.
          r={compact && placed.length > 1 ? 1.5 : 3}
          fill={theme.palette.primary.main}
        >
          <title>{`${p.day}: ${p.score}`}</title>
        </circle>
      ))}
      {!compact && (
        <>
          <text
            x={padding}
            y={height - 4}
            fontSize={10}
            fill={theme.palette.text.secondary}
          >
            {points[0].day}
          </text>
          <text
            x={width - padding}
            y={height - 4}
            fontSize={10}
            textAnchor="end"
            fill={theme.palette.text.secondary}
          >
            {points[points.length - 1].day}
          </text>
        </>
      )}
    </svg>
  );
}
