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

  it('counts a check once per workload, at its most severe, and explains every point', () => {
    const result = scoreFindings([
      f('run-as-root', 'high', 'workload-hardening'),
      f('run-as-root', 'high', 'workload-hardening'),
      f('image-tag-latest', 'info', 'images'),
      f('image-tag-latest', 'medium', 'images'),
      f('note', 'info', 'images'),
    ]);
    expect(result.score).toBe(77);
    expect(result.grade).toBe('C');
    expect(result.deductions).toEqual([
      {
        area: 'workload-hardening',
        points: 15,
        uncapped: 15,
        checks: [{ checkId: 'run-as-root', severity: 'high', points: 15 }],
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

  it('halves the price of each further check of a severity, up to twice its price', () => {
    const mediums = (n: number) =>
      Array.from({ length: n }, (_, i) => f(`m${i}`, 'medium', 'images'));
    expect(scoreFindings(mediums(1)).score).toBe(92);
    expect(scoreFindings(mediums(2)).score).toBe(88);
    expect(scoreFindings(mediums(3)).deductions[0].checks).toEqual([
      { checkId: 'm0', severity: 'medium', points: 8 },
      { checkId: 'm1', severity: 'medium', points: 4 },
      { checkId: 'm2', severity: 'medium', points: 2 },
    ]);
    expect(scoreFindings(mediums(3)).deductions[0]).toMatchObject({
      points: 14,
      uncapped: 24,
    });
    expect(scoreFindings(mediums(20)).score).toBe(84);
  });

  it('keeps any number of medium and low findings above one critical', () => {
    const many = [
      ...Array.from({ length: 20 }, (_, i) => f(`m${i}`, 'medium')),
      ...Array.from({ length: 20 }, (_, i) => f(`l${i}`, 'low')),
    ];
    expect(scoreFindings(many)).toMatchObject({ score: 78, grade: 'C' });
    expect(scoreFindings([f('privileged-container', 'critical')])).toEqual({
      score: 70,
      grade: 'D',
      deductions: [
        {
          area: 'host-access',
          points: 30,
          uncapped: 30,
          checks: [
            {
              checkId: 'privileged-container',
              severity: 'critical',
              points: 30,
            },
          ],
        },
      ],
      gradeCap: 'Capped at D by the critical finding "privileged-container"',
    });
  });

  it('takes each further critical lower, into F', () => {
    const criticals = (n: number) =>
      scoreFindings(
        Array.from({ length: n }, (_, i) => f(`c${i}`, 'critical')),
      );
    expect(criticals(2)).toMatchObject({ score: 55, grade: 'F' });
    expect(criticals(3)).toMatchObject({ score: 47, grade: 'F' });
    expect(criticals(10).score).toBe(40);
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
