import { CelEngine } from './celEnvironment';
import { celEquals, toCelValue } from './values';

describe('toCelValue', () => {
  // `constructor` is a valid label key; cel-js reads it to type a value.
  const labelled = (labels: Record<string, string>) => ({
    object: toCelValue({ metadata: { labels } }),
    oldObject: null,
    request: null,
    params: null,
    namespaceObject: null,
    variables: Object.create(null),
  });

  it.each([
    [{ constructor: 'x', app: 'web' }],
    [{ app: 'web', constructor: 'x' }],
  ])(
    'keeps a map with a constructor key a map, whatever the order: %p',
    labels => {
      const engine = CelEngine.shared();
      for (const [expression, expected] of [
        ["object.metadata.labels['constructor'] == 'x'", true],
        ["object.metadata.labels.app == 'web'", true],
        [
          'has(object.metadata.labels.app) && size(object.metadata.labels) == 2',
          true,
        ],
        ["object.metadata.labels.all(k, k in ['app', 'constructor'])", true],
      ] as const) {
        expect(engine.evaluate(expression, labelled(labels))).toEqual({
          kind: 'value',
          value: expected,
        });
      }
    },
  );

  it('compares maps by content, whichever form they take', () => {
    expect(
      celEquals(
        toCelValue({ constructor: 'x', a: 1 }),
        toCelValue({ a: 1, constructor: 'x' }),
      ),
    ).toBe(true);
    expect(
      celEquals(toCelValue({ constructor: 'x' }), toCelValue({ a: 'x' })),
    ).toBe(false);
  });
});
