/** Where each point of a 0–100 series goes in a box, oldest on the left. */
export function scorePolyline(
  points: { day: string; score: number }[],
  box: { width: number; height: number; padding: number },
): { x: number; y: number; day: string; score: number }[] {
  const { width, height, padding } = box;
  const innerWidth = width - 2 * padding;
  const innerHeight = height - 2 * padding;
  const step = points.length > 1 ? innerWidth / (points.length - 1) : 0;
  return points.map((point, index) => ({
    ...point,
    // A single point sits in the middle rather than on the axis.
    x: padding + (points.length > 1 ? index * step : innerWidth / 2),
    y:
      padding +
      innerHeight * (1 - Math.min(100, Math.max(0, point.score)) / 100),
  }));
}

/** One sentence describing a series, for screen readers. */
export function describeTrend(
  points: { day: string; score: number }[],
): string {
  if (points.length === 0) return 'No history yet';
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length === 1) return `Score ${last.score} on ${last.day}`;
  const change = last.score - first.score;
  const direction =
    change === 0
      ? 'unchanged'
      : `${change > 0 ? 'up' : 'down'} ${Math.abs(change)} points`;
  return `Score ${first.score} on ${first.day}, ${last.score} on ${last.day} (${direction})`;
}
