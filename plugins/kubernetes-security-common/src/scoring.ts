import {
  SEVERITIES,
  type CheckArea,
  type Finding,
  type Severity,
} from './checks/types';
import type { ClusterReport, EntityScore } from './report';
import type { AreaDeduction, Grade, ScoreExplanation } from './scoreModel';

/**
 * From findings to a score (0–100) and a grade (A–F), explainably:
 *
 * 1. Each failed check costs points once per workload, at its most severe
 *    finding, however many of its containers fail it.
 * 2. The first failed check of a severity costs its price (critical 30,
 *    high 15, medium 8, low 3, info 0); each further check of the same
 *    severity costs half the one before (rounded up), and one severity never
 *    costs more than twice its price (60, 30, 16, 6). So repeats weigh less
 *    than new kinds of risk, and no number of medium and low findings (at
 *    most 22 points) brings a workload down to what one critical costs.
 * 3. score = max(0, 100 − the sum over severities).
 * 4. Grade by score: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F; a critical
 *    finding caps the grade at D whatever the score, and each further
 *    critical lowers the score on into F.
 * 5. A component's score is its weakest workload's: it is as safe as the
 *    least safe thing it runs (`weakestScore`, the one rule everywhere).
 */
export const SEVERITY_POINTS: Record<Severity, number> = {
  critical: 30,
  high: 15,
  medium: 8,
  low: 3,
  info: 0,
};

/** The most the checks of one severity can cost a workload: twice its price. */
export const SEVERITY_CAP: Record<Severity, number> = {
  critical: 2 * SEVERITY_POINTS.critical,
  high: 2 * SEVERITY_POINTS.high,
  medium: 2 * SEVERITY_POINTS.medium,
  low: 2 * SEVERITY_POINTS.low,
  info: 0,
};

export function gradeForScore(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

const GRADE_ORDER: Grade[] = ['A', 'B', 'C', 'D', 'F'];

export function worseGrade(a: Grade, b: Grade): Grade {
  return GRADE_ORDER.indexOf(a) >= GRADE_ORDER.indexOf(b) ? a : b;
}

type ScoredFinding = Pick<Finding, 'checkId' | 'severity' | 'area'>;

const moreSevere = (a: Severity, b: Severity) =>
  SEVERITIES.indexOf(a) < SEVERITIES.indexOf(b);

/**
 * What each failed check costs (rule 2): within a severity, checks in id
 * order, so the same findings always explain the same way.
 */
function pricedChecks(failed: ScoredFinding[]) {
  return SEVERITIES.flatMap(severity => {
    let spent = 0;
    return failed
      .filter(check => check.severity === severity)
      .sort((a, b) => a.checkId.localeCompare(b.checkId))
      .map((check, rank) => {
        const price = Math.ceil(SEVERITY_POINTS[severity] / 2 ** rank);
        const points = Math.min(price, SEVERITY_CAP[severity] - spent);
        spent += points;
        return { ...check, points };
      });
  });
}

/** Scores the findings of one workload (including its namespace's). */
export function scoreFindings(findings: ScoredFinding[]): ScoreExplanation {
  const failed = new Map<string, ScoredFinding>();
  for (const finding of findings) {
    const counted = failed.get(finding.checkId);
    if (!counted || moreSevere(finding.severity, counted.severity))
      failed.set(finding.checkId, finding);
  }
  const byArea = new Map<CheckArea, AreaDeduction>();
  for (const { checkId, severity, area, points } of pricedChecks([
    ...failed.values(),
  ])) {
    const deduction = byArea.get(area) ?? {
      area,
      points: 0,
      uncapped: 0,
      checks: [],
    };
    deduction.checks.push({ checkId, severity, points });
    deduction.points += points;
    deduction.uncapped += SEVERITY_POINTS[severity];
    byArea.set(area, deduction);
  }
  const deductions = [...byArea.values()]
    .filter(d => d.uncapped > 0)
    .sort((a, b) => b.points - a.points || a.area.localeCompare(b.area));
  const score = Math.max(
    0,
    100 - deductions.reduce((sum, d) => sum + d.points, 0),
  );
  let grade = gradeForScore(score);
  let gradeCap: string | undefined;
  const critical = [...failed.values()].find(f => f.severity === 'critical');
  if (critical && worseGrade(grade, 'D') !== grade) {
    grade = 'D';
    gradeCap = `Capped at D by the critical finding "${critical.checkId}"`;
  }
  return { score, grade, deductions, ...(gradeCap ? { gradeCap } : {}) };
}

/**
 * The one order of weakness, used wherever scores are combined or ranked:
 * the worse grade first (a critical finding caps the grade whatever the
 * score), then the lower score. Negative when `a` is weaker than `b`.
 */
export function compareWeakness(
  a: { score: number; grade: Grade },
  b: { score: number; grade: Grade },
): number {
  return (
    GRADE_ORDER.indexOf(b.grade) - GRADE_ORDER.indexOf(a.grade) ||
    a.score - b.score
  );
}

/**
 * The weakest of several scores (rule 5): a workload's among a component's
 * workloads, a cluster's among an entity's clusters. The first wins a tie.
 */
export function weakestScore<T extends { score: number; grade: Grade }>(
  scores: T[],
): T | undefined {
  return scores.reduce<T | undefined>(
    (weakest, current) =>
      !weakest || compareWeakness(current, weakest) < 0 ? current : weakest,
    undefined,
  );
}

/** The entity's score across clusters: its weakest workload anywhere. */
export function entityScore(
  clusters: Pick<ClusterReport, 'cluster' | 'workloads'>[],
): EntityScore | undefined {
  const candidates = clusters.flatMap(report =>
    report.workloads.map(workload => ({
      ...workload.score,
      cluster: report.cluster,
      workload: {
        kind: workload.kind,
        namespace: workload.namespace,
        name: workload.name,
      },
    })),
  );
  const weakest = weakestScore(candidates);
  if (!weakest) return undefined;
  const { cluster, workload, ...explanation } = weakest;
  return {
    score: explanation.score,
    grade: explanation.grade,
    cluster,
    workload,
    explanation,
  };
}
