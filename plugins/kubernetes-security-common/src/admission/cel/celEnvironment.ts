import {
  Environment,
  EvaluationError,
  ParseError,
  type ASTNode,
} from '@marcbachmann/cel-js';
import { CelLibraryError, UnsupportedCelFeatureError } from './celErrors';
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
  }

  /** Compiles, or answers why not (a syntax error the API server would also reject). */
  compile(expression: string): Compiled | Error {
    let result = this.compiled.get(expression);
    if (!result) {
      try {
        const first = this.env.parse(expression) as unknown as Compiled;
        const rewritten = routeMatchesToRe2(expression, first.ast);
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

  evaluate(expression: string, activation: CelActivation): CelResult {
    const compiled = this.compile(expression);
    if (compiled instanceof Error) {
      return compiled instanceof UnsupportedCelFeatureError
        ? { kind: 'unsupported', reason: compiled.message }
        : { kind: 'error', message: firstLine(compiled) };
    }
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

/**
 * cel-js's built-in `matches` uses JavaScript regular expressions, which
 * differ from RE2 (lookarounds, backreferences, `\d` in Unicode mode…). Calls
 * are renamed, by their position in the parsed tree, to the RE2 function.
 */
function routeMatchesToRe2(expression: string, ast: ASTNode): string {
  const positions: number[] = [];
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
      positions.push(at);
    } else if (node.op === 'call' && node.args[0] === 'matches') {
      positions.push(node.range.start);
    }
  });
  return positions
    .sort((a, b) => b - a)
    .reduce(
      (text, at) => `${text.slice(0, at)}re2Matches${text.slice(at + 7)}`,
      expression,
    );
}
