import { gradeForScore, scoreFindings, weakestScore } from './scoring';

const f = (checkId: string, severity: any, area: any = 'host-access') => ({
  checkId,
  severity,
  area,
});

describe('scoreFindings', () => {
  it('is a clean A without findings', () => {
    expect(scoreFindings([])).toEqual({
      score: 100,
      grade: 'A',
      deductions: [],
    });
  });

  it('counts a check once per workload and explains every point', () => {
    const result = scoreFindings([
      f('run-as-root', 'high', 'workload-hardening'),
      f('run-as-root', 'high', 'workload-hardening'),
      f('image-tag-latest', 'medium', 'images'),
      f('note', 'info', 'images'),
    ]);
    expect(result.score).toBe(72);
    expect(result.grade).toBe('C');
    expect(result.deductions).toEqual([
      {
        area: 'workload-hardening',
        points: 20,
        uncapped: 20,
        checks: [{ checkId: 'run-as-root', severity: 'high', points: 20 }],
      },
      {
        area: 'images',
        points: 8,
        uncapped: 8,
        checks: [
          { checkId: 'image-tag-latest', severity: 'medium', points: 8 },
          { checkId: 'note', severity: 'info', points: 0 },
        ],
      },
    ]);
  });

  it('caps each area so another area still moves the score', () => {
    const hostOnly = scoreFindings([
      f('a', 'critical'),
      f('b', 'critical'),
      f('c', 'high'),
    ]);
    expect(hostOnly.score).toBe(50);
    expect(hostOnly.deductions[0]).toMatchObject({ points: 50, uncapped: 100 });
    const both = scoreFindings([
      f('a', 'critical'),
      f('b', 'critical'),
      f('d', 'high', 'images'),
    ]);
    expect(both.score).toBe(30);
  });

  it('caps the grade at D for any critical finding', () => {
    const result = scoreFindings([f('privileged-container', 'critical')]);
    expect(result).toMatchObject({ score: 60, grade: 'D' });
    const low = scoreFindings([f('x', 'low', 'images')]);
    expect(low).toMatchObject({ score: 97, grade: 'A' });
  });

  it('grades by score thresholds', () => {
    expect(
      [100, 90, 89, 80, 79, 70, 69, 60, 59, 0].map(gradeForScore).join(''),
    ).toBe('AABBCCDDFF');
  });
});

describe('weakestScore', () => {
  it('takes the weakest workload', () => {
    const a = { ...scoreFindings([]), name: 'a' };
    const b = { ...scoreFindings([f('x', 'high')]), name: 'b' };
    const c = { ...scoreFindings([f('y', 'medium')]), name: 'c' };
    expect(weakestScore([a, b, c])?.name).toBe('b');
    expect(weakestScore([])).toBeUndefined();
  });

  it('takes the worst grade before the lowest score, so a critical cap wins', () => {
    expect(
      weakestScore([
        { score: 95, grade: 'D' as const, name: 'capped' },
        { score: 65, grade: 'D' as const, name: 'lower' },
        { score: 75, grade: 'C' as const, name: 'lowest-uncapped' },
      ])?.name,
    ).toBe('lower');
    expect(
      weakestScore([
        { score: 70, grade: 'C' as const, name: 'c' },
        { score: 95, grade: 'D' as const, name: 'capped' },
      ])?.name,
    ).toBe('capped');
  });
});
