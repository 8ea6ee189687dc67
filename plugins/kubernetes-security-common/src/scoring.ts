import type { CheckArea, Finding, Severity } from './checks/types';
import type { ClusterReport, EntityScore } from './report';

/**
 * From findings to a score (0–100) and a grade (A–F), explainably:
 *
 * 1. Each failed check costs points once per workload, by severity
 *    (critical 40, high 20, medium 8, low 3, info 0), however many of its
 *    containers fail it.
 * 2. The points lost in one area are capped at 50, so one area with many
 *    findings cannot hide the problems of another: every area still moves
 *    the score.
 * 3. score = max(0, 100 − the sum over areas).
 * 4. Grade by score: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F; a critical
 *    finding caps the grade at D whatever the score.
 * 5. A component's score is its weakest workload's: it is as safe as the
 *    least safe thing it runs.
 */
export const SEVERITY_POINTS: Record<Severity, number> = {
  critical: 40,
  high: 20,
  medium: 8,
  low: 3,
  info: 0,
};
export const AREA_CAP = 50;

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface AreaDeduction {
  area: CheckArea;
  /** Points lost in this area after the cap. */
  points: number;
  /** Points before the cap. */
  uncapped: number;
  checks: { checkId: string; severity: Severity; points: number }[];
}

export interface ScoreExplanation {
  score: number;
  grade: Grade;
  deductions: AreaDeduction[];
  /** Why the grade is lower than the score alone gives, if it is. */
  gradeCap?: string;
}

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

/** Scores the findings of one workload (including its namespace's). */
export function scoreFindings(
  findings: Pick<Finding, 'checkId' | 'severity' | 'area'>[],
): ScoreExplanation {
  const byArea = new Map<CheckArea, AreaDeduction>();
  const counted = new Set<string>();
  for (const finding of findings) {
    if (counted.has(finding.checkId)) continue;
    counted.add(finding.checkId);
    const deduction = byArea.get(finding.area) ?? {
      area: finding.area,
      points: 0,
      uncapped: 0,
      checks: [],
    };
    const points = SEVERITY_POINTS[finding.severity];
    deduction.checks.push({
      checkId: finding.checkId,
      severity: finding.severity,
      points,
    });
    deduction.uncapped += points;
    deduction.points = Math.min(AREA_CAP, deduction.uncapped);
    byArea.set(finding.area, deduction);
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
  const critical = findings.find(f => f.severity === 'critical');
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
