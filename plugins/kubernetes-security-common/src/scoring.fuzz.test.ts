import fc from 'fast-check';
import { fuzzParameters, fuzzTimeout } from './__testUtils__';
import { ALL_CHECKS } from './checks/checkCatalogue';
import { SEVERITIES, type CheckArea, type Finding } from './checks/types';
import {
  compareWeakness,
  gradeForScore,
  scoreFindings,
  SEVERITY_CAP,
  SEVERITY_POINTS,
  weakestScore,
  worseGrade,
} from './scoring';

type ScoredFinding = Pick<Finding, 'checkId' | 'severity' | 'area'>;

/** Findings as checks make them: a check always has the same severity and area. */
const finding: fc.Arbitrary<ScoredFinding> = fc
  .constantFrom(...ALL_CHECKS)
  .map(check => ({
    checkId: check.id,
    severity: check.severity,
    area: check.area,
  }));
const findings = fc.array(finding, { maxLength: 30 });

const areaTotals = (scored: ReturnType<typeof scoreFindings>) =>
  Object.fromEntries(
    scored.deductions.map(deduction => [deduction.area, deduction.points]),
  ) as Record<CheckArea, number>;

describe('scoring of arbitrary findings', () => {
  it(
    'gives a score from 0 to 100 that the deductions explain, and the grade of the score or a capped one',
    () => {
      fc.assert(
        fc.property(findings, list => {
          const { score, grade, deductions, gradeCap } = scoreFindings(list);
          expect(Number.isInteger(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(100);
          const lost = deductions.reduce((sum, d) => sum + d.points, 0);
          expect(score).toBe(Math.max(0, 100 - lost));
          const checks = deductions.flatMap(d => d.checks);
          for (const deduction of deductions) {
            expect(deduction.points).toBe(
              deduction.checks.reduce((sum, c) => sum + c.points, 0),
            );
            expect(deduction.uncapped).toBe(
              deduction.checks.reduce(
                (sum, c) => sum + SEVERITY_POINTS[c.severity],
                0,
              ),
            );
          }
          const costing = (l: { checkId: string; severity: string }[]) =>
            [
              ...new Set(
                l.filter(f => f.severity !== 'info').map(f => f.checkId),
              ),
            ].sort();
          expect(costing(checks)).toEqual(costing(list));
          for (const severity of SEVERITIES) {
            const priced = checks.filter(c => c.severity === severity);
            expect(
              priced.reduce((sum, c) => sum + c.points, 0),
            ).toBeLessThanOrEqual(SEVERITY_CAP[severity]);
            for (const check of priced)
              expect(check.points).toBeLessThanOrEqual(
                SEVERITY_POINTS[severity],
              );
          }
          const critical = list.some(f => f.severity === 'critical');
          expect(grade).toBe(
            critical
              ? worseGrade(gradeForScore(score), 'D')
              : gradeForScore(score),
          );
          expect(gradeCap !== undefined).toBe(
            critical && grade !== gradeForScore(score),
          );
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'does not depend on the order of the findings or on repeats',
    () => {
      fc.assert(
        fc.property(
          findings.chain(list =>
            fc.tuple(
              fc.constant(list),
              fc.shuffledSubarray(list, {
                minLength: list.length,
                maxLength: list.length,
              }),
              fc.subarray(list),
            ),
          ),
          ([list, shuffled, repeats]) => {
            const original = scoreFindings(list);
            const reordered = scoreFindings([...shuffled, ...repeats]);
            expect(reordered.score).toBe(original.score);
            expect(reordered.grade).toBe(original.grade);
            expect(areaTotals(reordered)).toEqual(areaTotals(original));
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'never rises when a finding is added',
    () => {
      fc.assert(
        fc.property(findings, finding, (list, added) => {
          const before = scoreFindings(list);
          const after = scoreFindings([...list, added]);
          expect(after.score).toBeLessThanOrEqual(before.score);
          expect(worseGrade(after.grade, before.grade)).toBe(after.grade);
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'keeps findings below high above where one critical alone puts a workload',
    () => {
      const critical = ALL_CHECKS.find(c => c.severity === 'critical')!;
      const alone = scoreFindings([
        { checkId: critical.id, severity: 'critical', area: critical.area },
      ]);
      fc.assert(
        fc.property(findings, list => {
          const minor = list.filter(
            f => f.severity !== 'critical' && f.severity !== 'high',
          );
          expect(scoreFindings(minor).score).toBeGreaterThan(alone.score);
          expect(compareWeakness(alone, scoreFindings(minor))).toBeLessThan(0);
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'combines workloads into the weakest one, whatever their order',
    () => {
      fc.assert(
        fc.property(
          fc.array(findings.map(scoreFindings), { maxLength: 8 }),
          scores => {
            const weakest = weakestScore(scores);
            expect(weakest === undefined).toBe(scores.length === 0);
            if (!weakest) return;
            expect(scores).toContain(weakest);
            for (const other of scores)
              expect(compareWeakness(weakest, other)).toBeLessThanOrEqual(0);
            const reversed = weakestScore([...scores].reverse())!;
            expect([reversed.grade, reversed.score]).toEqual([
              weakest.grade,
              weakest.score,
            ]);
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );
});
