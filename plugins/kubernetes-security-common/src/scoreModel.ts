import type { CheckArea, Severity } from './checks/types';

/** How a score is explained; computed by `scoring.ts`. */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface AreaDeduction {
  area: CheckArea;
  /** Points lost in this area. */
  points: number;
  /**
   * What its checks cost at their severity's full price, before further
   * checks of a severity were discounted (rule 2).
   */
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
