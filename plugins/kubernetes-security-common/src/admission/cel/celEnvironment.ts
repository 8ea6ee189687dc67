import {
  Environment,
  EvaluationError,
  ParseError,
  type ASTNode,
} from '@marcbachmann/cel-js';
import { CelLibraryError, UnsupportedCelFeatureError } from './celErrors';
import { CelCostBudget, chargeCost } from './costBudget';
import {
  Authorizer,
  AUTHORIZER_REASON,
  KUBERNETES_LIBRARY_FUNCTIONS,
  registerKubernetesLibraries,
} from './kubernetesLibraries';

/** The variables a ValidatingAdmissionPolicy expression sees. */
export interface CelActivation {
  object: unknown;
  oldObject: unknown;
  request: unknown;
  params: unknown;
  namespaceObject: unknown;
  variables: Record<string, unknown>;
}

export type CelResult =
  | { kind: 'value'; value: unknown }
  /** The expression failed, as it would in the API server. */
  | { kind: 'error'; message: string }
  /** The simulation cannot tell (e.g. an unsupported function). */
  | { kind: 'unsupported'; reason: string };

type Compiled = ((context: Record<string, unknown>) => unknown) & {
  ast: ASTNode;
};

/** Wraps the range of every comprehension so that its iterations are charged. */
const CHARGED_RANGE = 'chargedRange';

const NOT_A_RANGE = new RegExp(
  `no matching overload for '${CHARGED_RANGE}\\((.+), int\\)'`,
);

/** The macros that loop over a range, with their numbers of arguments. */
const COMPREHENSIONS: Record<string, number[]> = {
  all: [2],
  exists: [2],
  exists_one: [2],
  map: [2, 3],
  filter: [2],
};

/** Functions and macros cel-js itself provides. */
const STANDARD_FUNCTIONS = new Set(
  (
    'dyn bool bytes double int uint string size type timestamp duration ' +
    'startsWith endsWith contains lowerAscii upperAscii trim indexOf lastIndexOf ' +
    'substring matches split join json hex base64 at has all exists exists_one ' +
    'map filter bind hasValue value or orValue of none getFullYear getMonth ' +
    'getDayOfMonth getDate getDayOfWeek getDayOfYear getHours getMinutes ' +
    'getSeconds getMilliseconds'
  ).split(' '),
);

let shared: CelEngine | undefined;

/**
 * One cel-js environment with the Kubernetes libraries, and a cache of
 * compiled expressions (policies repeat across workloads and scans).
 */
export class CelEngine {
  private readonly env: Environment;
  private readonly compiled = new Map<string, Compiled | Error>();

  static shared(): CelEngine {
    shared ??= new CelEngine();
    return shared;
  }

  private constructor() {
    this.env = new Environment({
      unlistedVariablesAreDyn: true,
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: false,
    });
    registerKubernetesLibraries(this.env);
    this.env.registerConstant('authorizer', 'Authorizer', new Authorizer());
    const chargeRange = (range: unknown, costPerIteration: bigint) => {
      let size: number;
      if (Array.isArray(range)) size = range.length;
      else if (range instanceof Map) size = range.size;
      else size = Object.keys(range as object).length;
      chargeCost(size * Number(costPerIteration));
      return range;
    };
    this.env.registerFunction(
      `${CHARGED_RANGE}(list<V>, int): list<V>`,
      chargeRange,
    );
    this.env.registerFunction(
      `${CHARGED_RANGE}(map<K, V>, int): map<K, V>`,
      chargeRange,
    );
  }

  /** Compiles, or answers why not (a syntax error the API server would also reject). */
  compile(expression: string): Compiled | Error {
    let result = this.compiled.get(expression);
    if (!result) {
      try {
        const first = this.env.parse(expression) as unknown as Compiled;
        const rewritten = rewriteForSimulation(expression, first.ast);
        result =
          rewritten === expression
            ? first
            : (this.env.parse(rewritten) as unknown as Compiled);
      } catch (error) {
        result = error as Error;
      }
      if (this.compiled.size > 2000) this.compiled.clear();
      this.compiled.set(expression, result);
    }
    return result;
  }

  /**
   * Evaluates within the budget (by default, the per-expression limit alone):
   * an evaluation over it is `unsupported`, with the reason.
   */
  evaluate(
    expression: string,
    activation: CelActivation,
    budget: CelCostBudget = new CelCostBudget(),
  ): CelResult {
    const compiled = this.compile(expression);
    if (compiled instanceof Error) {
      return compiled instanceof UnsupportedCelFeatureError
        ? { kind: 'unsupported', reason: compiled.message }
        : { kind: 'error', message: firstLine(compiled) };
    }
    const exhausted = budget.exhaustedReason();
    if (exhausted) return { kind: 'unsupported', reason: exhausted };
    const { result, overLimit } = budget.run(() =>
      this.run(compiled, activation),
    );
    return overLimit ? { kind: 'unsupported', reason: overLimit } : result;
  }

  private run(compiled: Compiled, activation: CelActivation): CelResult {
    try {
      const value = compiled({ ...activation });
      if (value instanceof Promise) {
        return { kind: 'unsupported', reason: 'asynchronous evaluation' };
      }
      return { kind: 'value', value };
    } catch (error) {
      const result = classify(error);
      // The authorizer's builder chain fails on its first unknown step.
      return result.kind === 'unsupported' && usesAuthorizer(compiled.ast)
        ? { kind: 'unsupported', reason: AUTHORIZER_REASON }
        : result;
    }
  }
}

function usesAuthorizer(ast: ASTNode): boolean {
  let found = false;
  visit(ast, node => {
    if (node.op === 'id' && node.args === 'authorizer') found = true;
  });
  return found;
}

function firstLine(error: Error): string {
  return error.message.split('\n')[0];
}

/** Tells a function this simulation lacks from a genuine evaluation error. */
function classify(error: unknown): CelResult {
  if (error instanceof UnsupportedCelFeatureError) {
    return { kind: 'unsupported', reason: error.message };
  }
  if (error instanceof CelLibraryError) {
    return { kind: 'error', message: error.message };
  }
  const message = error instanceof Error ? firstLine(error) : String(error);
  const badRange = NOT_A_RANGE.exec(message);
  if (badRange) {
    // The message cel-js gives without the wrapper.
    return {
      kind: 'error',
      message: `Expression of type '${badRange[1]}' cannot be range of a comprehension (must be list, map, or dynamic).`,
    };
  }
  if (
    error instanceof EvaluationError &&
    /no matching overload/.test(message)
  ) {
    const call = /for '(?:([\w<>, ]+)\.)?(\w+)\(/.exec(message);
    const receiver = call?.[1];
    const name = call?.[2];
    if (receiver === 'Authorizer') {
      return { kind: 'unsupported', reason: AUTHORIZER_REASON };
    }
    if (
      name &&
      !STANDARD_FUNCTIONS.has(name) &&
      !KUBERNETES_LIBRARY_FUNCTIONS.has(name)
    ) {
      return {
        kind: 'unsupported',
        reason: `unsupported function ${name}() (not in this simulation's CEL libraries)`,
      };
    }
  }
  if (error instanceof ParseError) return { kind: 'error', message };
  return { kind: 'error', message };
}

function isNode(value: unknown): value is ASTNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    'op' in value &&
    'args' in value
  );
}

function visit(node: ASTNode, onNode: (node: ASTNode) => void) {
  onNode(node);
  const walk = (value: unknown): void => {
    if (isNode(value)) visit(value, onNode);
    else if (Array.isArray(value)) value.forEach(walk);
  };
  walk(node.args);
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
  /** Among edits at one position, the one applied first ends up last. */
  rank: number;
}

type MethodCall = Extract<ASTNode, { op: 'rcall' }>;

function isComprehension(node: ASTNode): node is MethodCall {
  return (
    node.op === 'rcall' &&
    (COMPREHENSIONS[node.args[0]]?.includes(node.args[2].length) ?? false)
  );
}

/**
 * The cost of one iteration, as cel-go counts it: 1 per node of the step
 * evaluated, and 1 for the loop. A nested comprehension's range is part of
 * the step; its own steps are charged when it starts.
 */
function stepCost(comprehension: MethodCall): number {
  let nodes = 0;
  const walk = (value: unknown): void => {
    if (isNode(value)) {
      nodes++;
      walk(isComprehension(value) ? value.args[1] : value.args);
    } else if (Array.isArray(value)) value.forEach(walk);
  };
  // The macro's arguments: the iteration variable, then the step.
  walk(comprehension.args[2].slice(1));
  return 1 + nodes;
}

/**
 * Rewrites the expression, by positions in its parsed tree, for what cel-js
 * cannot be told otherwise:
 * - its built-in `matches` uses JavaScript regular expressions, which differ
 *   from RE2 (lookarounds, backreferences, `\d` in Unicode mode…) and
 *   backtrack: calls are renamed to the RE2 function;
 * - it has no cost hook: the range of every comprehension is wrapped in a
 *   function that charges its size times the cost of a step (see
 *   costBudget.ts).
 */
function rewriteForSimulation(expression: string, ast: ASTNode): string {
  const edits: Edit[] = [];
  visit(ast, node => {
    if (node.op === 'rcall' && node.args[0] === 'matches') {
      const receiverEnd = (node.args[1] as ASTNode).range.end;
      const at = expression.indexOf('matches', receiverEnd);
      if (at < 0 || !/^[\s).]*$/.test(expression.slice(receiverEnd, at))) {
        throw new UnsupportedCelFeatureError(
          'matches',
          'could not route matches() to the RE2 engine',
        );
      }
      edits.push({
        at,
        remove: 'matches'.length,
        insert: 're2Matches',
        rank: 0,
      });
    } else if (node.op === 'call' && node.args[0] === 'matches') {
      edits.push({
        at: node.range.start,
        remove: 'matches'.length,
        insert: 're2Matches',
        rank: 0,
      });
    } else if (isComprehension(node)) {
      const range = node.args[1].range;
      edits.push(
        { at: range.start, remove: 0, insert: `${CHARGED_RANGE}(`, rank: 1 },
        { at: range.end, remove: 0, insert: `, ${stepCost(node)})`, rank: 2 },
      );
    }
  });
  // From the end, so that positions stay valid; at one position, a range's
  // end, then the next range's start, then a renamed `matches`.
  return edits
    .sort((a, b) => b.at - a.at || a.rank - b.rank)
    .reduce(
      (text, edit) =>
        text.slice(0, edit.at) +
        edit.insert +
        text.slice(edit.at + edit.remove),
      expression,
    );
}
