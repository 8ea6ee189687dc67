/**
 * CEL cost limits, after the Kubernetes API server's (k8s.io/apiserver
 * `pkg/apis/cel`): a limit per expression evaluation (its `PerCallLimit`) and,
 * of this plugin's own, a budget for every expression of one cluster scan, so
 * that hostile policies cannot stall a scan.
 *
 * Cost is counted in cel-go's units, about one per node evaluated, where
 * evaluation can grow; cel-js has no cost hook, so:
 * - a comprehension (`all`, `exists`, `exists_one`, `map`, `filter`) is
 *   charged, when it starts, the size of its range times the nodes of its
 *   step: nested loops are stopped as their inner loop starts, and counting
 *   costs nothing per iteration (charging each iteration through a proxy
 *   made loops twice as slow). `all`/`exists` that stop early are charged
 *   their whole range;
 * - a Kubernetes library function is charged 1 plus the size of its
 *   arguments (cel-go's traversal factors: 1 per list element, 0.1 per
 *   character), regular expressions and set operations by their product.
 * Counting is deterministic: a policy and an object cost the same on any
 * machine. Nodes outside loops are not counted (their number is bounded by
 * the parser's limits), nor are the sizes of values that built-in operators
 * (`+`, `contains`, `==`) traverse.
 */

/** The API server's `PerCallLimit`: about 0.1 s of evaluation there. */
export const PER_EXPRESSION_COST_LIMIT = 1_000_000;

/**
 * For all dry runs of one scan: 100 expressions at the per-expression limit,
 * while a real policy's expressions cost tens (a step over a few containers).
 */
export const SCAN_COST_BUDGET = 100_000_000;

export interface CelCostLimits {
  perExpression: number;
  perScan: number;
}

/** Thrown to stop an evaluation that went over its limit. */
class CelCostLimitExceeded extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CelCostLimitExceeded';
  }
}

/** Counts the cost of one expression evaluation against its limit. */
class CostMeter {
  private spentUnits = 0;
  /** Set once the evaluation went over its limit. */
  overLimitReason?: string;

  constructor(
    private readonly limit: number,
    private readonly reasonWhenOver: string,
  ) {}

  /** What the evaluation cost, up to its limit (past it nothing more ran). */
  get spent(): number {
    return Math.min(this.spentUnits, this.limit);
  }

  charge(units: number): void {
    this.spentUnits += units;
    if (this.spentUnits > this.limit) {
      this.overLimitReason ??= this.reasonWhenOver;
      throw new CelCostLimitExceeded(this.overLimitReason);
    }
  }
}

/** The cost budget of one scan; each evaluation draws from it. */
export class CelCostBudget {
  private spent = 0;

  constructor(
    private readonly limits: CelCostLimits = {
      perExpression: PER_EXPRESSION_COST_LIMIT,
      perScan: SCAN_COST_BUDGET,
    },
  ) {}

  /** Why no expression may be evaluated any more, once the budget is spent. */
  exhaustedReason(): string | undefined {
    return this.spent >= this.limits.perScan
      ? `not evaluated: the scan's CEL cost budget (${this.limits.perScan}) is spent`
      : undefined;
  }

  /**
   * Runs one evaluation with what is left of the budget. `overLimit` says
   * why it was stopped, whatever `evaluate` made of the interruption.
   */
  run<T>(evaluate: () => T): { result: T; overLimit?: string } {
    const left = this.limits.perScan - this.spent;
    const meter =
      left < this.limits.perExpression
        ? new CostMeter(
            left,
            `evaluation stopped: the scan's CEL cost budget (${this.limits.perScan}) is spent`,
          )
        : new CostMeter(
            this.limits.perExpression,
            `evaluation stopped: the expression exceeds the CEL cost budget of ${this.limits.perExpression} per expression (the API server's per-call limit)`,
          );
    try {
      const result = withMeter(meter, evaluate);
      return meter.overLimitReason
        ? { result, overLimit: meter.overLimitReason }
        : { result };
    } finally {
      this.spent += meter.spent;
    }
  }
}

// Evaluation is synchronous, so the meter of the running evaluation can be
// found here by the library functions, which cel-js calls without context.
let active: CostMeter | undefined;

function withMeter<T>(meter: CostMeter, run: () => T): T {
  const previous = active;
  active = meter;
  try {
    return run();
  } finally {
    active = previous;
  }
}

/** Charges the running evaluation; throws when that takes it over its limit. */
export function chargeCost(units: number): void {
  active?.charge(units);
}

/** cel-go's traversal cost of a value: 1 per list element, 0.1 per character. */
export function sizeCost(value: unknown): number {
  if (typeof value === 'string') return Math.ceil(value.length * 0.1);
  if (Array.isArray(value)) return value.length;
  return 0;
}
