import { CelEngine, type CelActivation } from './celEnvironment';
import { CelCostBudget, PER_EXPRESSION_COST_LIMIT } from './costBudget';
import { toCelValue } from './values';

const engine = CelEngine.shared();

function activation(object: unknown): CelActivation {
  return {
    object: toCelValue(object),
    oldObject: null,
    request: null,
    params: null,
    namespaceObject: null,
    variables: {},
  };
}

const items = { items: Array.from({ length: 200 }, (_, i) => i) };
/** 200 + 200² + 200³ iterations: far over the per-expression limit. */
const nested =
  'object.items.all(a, object.items.all(b, object.items.all(c, a + b + c >= 0)))';

describe('CEL cost budget', () => {
  it('stops an expression over the per-expression limit, as unknown with the reason', () => {
    expect(engine.evaluate(nested, activation(items))).toEqual({
      kind: 'unsupported',
      reason: expect.stringContaining(
        `CEL cost budget of ${PER_EXPRESSION_COST_LIMIT} per expression`,
      ),
    });
  });

  it.each([
    // 3 iterations of `x > 0` (3 nodes) and the loop.
    ['[1, 2, 3].all(x, x > 0)', 3 * 4],
    // The outer step is the inner loop and its range; the inner one charges its own steps.
    ['[1, 2, 3].all(x, [1, 2].all(y, y > 0))', 3 * 5 + 3 * (2 * 4)],
    // A map's keys; exists() that stops early is charged its whole range.
    ["{'a': 1, 'b': 2}.exists(k, k == 'a')", 2 * 4],
    ['[1, 2, 3].filter(x, x > 1).map(y, y * 2)', 3 * 4 + 2 * 4],
  ])(
    'charges %s %d: iterations times the nodes of the step',
    (expression, cost) => {
      const evaluate = (limit: number) =>
        engine.evaluate(
          expression,
          activation({ name: 'web' }),
          new CelCostBudget({ perExpression: limit, perScan: 1000 }),
        ).kind;
      expect(evaluate(cost)).toBe('value');
      expect(evaluate(cost - 1)).toBe('unsupported');
    },
  );

  it('never takes an interrupted evaluation for a result', () => {
    // exists() is true when any element is, even if another element failed.
    const expression = `[0, 1].exists(x, x == 1 || (${nested}))`;
    expect(engine.evaluate(expression, activation(items))).toMatchObject({
      kind: 'unsupported',
    });
  });

  it('charges library functions by the size of their arguments', () => {
    const big = { list: Array.from({ length: 2000 }, (_, i) => `v${i}`) };
    expect(
      engine.evaluate(
        'sets.intersects(object.list, object.list)',
        activation(big),
      ),
    ).toMatchObject({ kind: 'unsupported' });
    // Each search may read to the end of the text: quadratic, so charged so.
    expect(
      engine.evaluate(
        "object.s.findAll('.*z|a').size() > 0",
        activation({ s: 'a'.repeat(20_000) }),
      ),
    ).toMatchObject({ kind: 'unsupported' });
    expect(
      engine.evaluate(
        "object.s.findAll('a').size()",
        activation({ s: 'a'.repeat(100) }),
      ),
    ).toEqual({ kind: 'value', value: 100n });
  });

  it('spends one budget across a scan, then evaluates nothing more', () => {
    const budget = new CelCostBudget({ perExpression: 1000, perScan: 1500 });
    const list = { items: Array.from({ length: 50 }, (_, i) => i) };
    const costs5200 = 'object.items.all(a, object.items.all(b, true))';
    const evaluate = (expression: string) =>
      engine.evaluate(expression, activation(list), budget);
    expect(evaluate(costs5200)).toEqual({
      kind: 'unsupported',
      reason: expect.stringContaining('CEL cost budget of 1000 per expression'),
    });
    expect(evaluate(costs5200)).toEqual({
      kind: 'unsupported',
      reason: expect.stringContaining(
        "evaluation stopped: the scan's CEL cost budget (1500) is spent",
      ),
    });
    expect(evaluate('1 + 1')).toEqual({
      kind: 'unsupported',
      reason: "not evaluated: the scan's CEL cost budget (1500) is spent",
    });
  });

  it.each([
    ["['ab', 'b'].filter(s, s.matches('^a'))", ['ab']],
    ["[['a', 'b']].map(l, l.filter(s, s.matches('^a')))", [['a']]],
    ["(['x'] + ['y']).exists(s, s == 'y')", true],
    ['object.?items.orValue([]).map(x, x * 2)', [0n, 2n]],
    ['[1, 2].map(x, x > 1, x * 10)', [20n]],
    ["matches('a', 'a') && [1].exists_one(x, x == 1)", true],
    ["{'k': [1, 2]}.all(k, {'k': [1, 2]}[k].all(v, v > 0))", true],
    ["['all(x, y)'].all(s, s.contains('all('))", true],
    ["'é😀'.size() == 2 && [1].all(x, x == 1)", true],
  ])('keeps the meaning of %s', (expression, expected) => {
    expect(engine.evaluate(expression, activation({ items: [0, 1] }))).toEqual({
      kind: 'value',
      value: expected,
    });
  });

  it('keeps the errors of ranges that are neither lists nor maps', () => {
    expect(engine.evaluate("'abc'.all(c, true)", activation(null))).toEqual({
      kind: 'error',
      message:
        "Expression of type 'string' cannot be range of a comprehension (must be list, map, or dynamic).",
    });
  });
});
