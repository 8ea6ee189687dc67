import { describeTrend, scorePolyline } from './chartGeometry';

describe('chart geometry', () => {
  const box = { width: 120, height: 60, padding: 10 };

  it('spreads days across the width and scores up the height', () => {
    expect(
      scorePolyline(
        [
          { day: 'd1', score: 0 },
          { day: 'd2', score: 50 },
          { day: 'd3', score: 100 },
        ],
        box,
      ).map(p => [p.x, p.y]),
    ).toEqual([
      [10, 50],
      [60, 30],
      [110, 10],
    ]);
  });

  it('centres a single point and clamps out-of-range scores', () => {
    expect(scorePolyline([{ day: 'd', score: 140 }], box)).toEqual([
      { day: 'd', score: 140, x: 60, y: 10 },
    ]);
  });

  it('describes the trend in words', () => {
    expect(describeTrend([])).toBe('No history yet');
    expect(
      describeTrend([
        { day: '2026-11-01', score: 60 },
        { day: '2026-11-02', score: 72 },
      ]),
    ).toBe('Score 60 on 2026-11-01, 72 on 2026-11-02 (up 12 points)');
  });
});
