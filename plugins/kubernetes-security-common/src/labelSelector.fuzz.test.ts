import fc from 'fast-check';
import {
  anyShapeKubernetes,
  anyString,
  fuzzParameters,
  fuzzTimeout,
  hostileValue,
  objectFromEntries,
  TRICKY_KEYS,
} from './__testUtils__';
import {
  LabelRequirement,
  LabelSelectorSyntaxError,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';
import {
  formatLabelSelector,
  labelSelectorFromObject,
  selectorMatches,
  type LabelSelectorObject,
} from './admission/selectors';

const labelName = fc.stringMatching(
  /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/,
);
const labelKey = fc.oneof(
  labelName,
  fc
    .tuple(
      fc.stringMatching(
        /^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?(\.[a-z0-9]{1,5}){0,2}$/,
      ),
      labelName,
    )
    .map(([prefix, name]) => `${prefix}/${name}`),
);
const labelValue = fc.oneof(fc.constant(''), labelName);

const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
  fc.record({
    key: labelKey,
    operator: fc.constantFrom<'in' | 'notin'>('in', 'notin'),
    values: fc.array(labelName, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    key: labelKey,
    operator: fc.constantFrom<'exists' | 'doesnotexist'>(
      'exists',
      'doesnotexist',
    ),
  }),
);

/** One way of writing a requirement, with the spacing people use. */
function written(r: LabelRequirement, style: number): string {
  switch (r.operator) {
    case 'in':
      if (r.values.length === 1 && style % 3 !== 0)
        return `${r.key}${style % 3 === 1 ? '=' : ' == '}${r.values[0]}`;
      return `${r.key} in (${r.values.join(style % 2 ? ', ' : ',')})`;
    case 'notin':
      if (r.values.length === 1 && style % 2)
        return `${r.key} != ${r.values[0]}`;
      return `${r.key} notin (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    default:
      return style % 2 ? `! ${r.key}` : `!${r.key}`;
  }
}

/** Selector text made of the syntax's own pieces, mostly malformed. */
const selectorLikeText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '=',
        '==',
        '!=',
        '!',
        ',',
        '(',
        ')',
        ' in ',
        ' notin ',
        ' ',
        '/',
        '.',
        '-',
      ),
      labelName,
      anyString,
    ),
    { maxLength: 12 },
  )
  .map(parts => parts.join(''));

/** Labels as read from objects: keys that trip naive code, and sometimes values that are not strings. */
const labels = fc
  .array(
    fc.tuple(
      fc.oneof(labelKey, fc.constantFrom(...TRICKY_KEYS), anyString),
      fc.oneof(labelValue, anyString, hostileValue),
    ),
    { maxLength: 5 },
  )
  .map(entries => objectFromEntries(entries) as Record<string, string>);

function parseOrSyntaxError(text: string) {
  try {
    return parseLabelSelector(text);
  } catch (error) {
    if (error instanceof LabelSelectorSyntaxError) return error;
    throw error;
  }
}

describe('label selectors', () => {
  it(
    'parse any text, or refuse it with a syntax error, and then match any labels',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(selectorLikeText, anyString),
          labels,
          (text, objectLabels) => {
            const parsed = parseOrSyntaxError(text);
            if (parsed instanceof LabelSelectorSyntaxError) return;
            expect(typeof matchesLabelSelector(objectLabels, parsed)).toBe(
              'boolean',
            );
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'read back what was written, however it was spaced',
    () => {
      fc.assert(
        fc.property(
          fc.array(requirement, { minLength: 1, maxLength: 5 }),
          fc.nat(),
          (requirements, style) => {
            const text = requirements
              .map((r, index) => written(r, style + index))
              .join(style % 2 ? ', ' : ',');
            expect(parseLabelSelector(text)).toEqual(requirements);
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'select the labels they are made of, and no labels missing one of them',
    () => {
      fc.assert(
        fc.property(
          fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 5 }),
          fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
          (own, extra) => {
            const selector = parseLabelSelector(
              Object.entries(own)
                .map(([key, value]) => `${key}=${value}`)
                .join(','),
            );
            expect(matchesLabelSelector({ ...extra, ...own }, selector)).toBe(
              true,
            );
            const [firstKey] = Object.keys(own);
            const { [firstKey]: _removed, ...missingOne } = own;
            expect(matchesLabelSelector(missingOne, selector)).toBe(false);
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'in object form, of any shape, select nothing when malformed and never throw',
    () => {
      const selectorObject = fc.oneof(
        hostileValue,
        fc.record(
          {
            matchLabels: fc.oneof(labels, hostileValue),
            matchExpressions: fc.oneof(
              hostileValue,
              fc.array(
                fc.oneof(
                  hostileValue,
                  fc.record(
                    {
                      key: fc.oneof(labelKey, hostileValue),
                      operator: fc.oneof(
                        fc.constantFrom(
                          'In',
                          'NotIn',
                          'Exists',
                          'DoesNotExist',
                          ...TRICKY_KEYS,
                        ),
                        hostileValue,
                      ),
                      values: fc.oneof(
                        fc.array(labelValue, { maxLength: 3 }),
                        hostileValue,
                      ),
                    },
                    { requiredKeys: [] },
                  ),
                ),
                { maxLength: 3 },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      );
      fc.assert(
        fc.property(selectorObject, labels, (selector, objectLabels) => {
          const object = selector as LabelSelectorObject;
          const requirements = labelSelectorFromObject(object);
          expect(typeof selectorMatches(object, objectLabels)).toBe('boolean');
          expect(formatLabelSelector(object) === undefined).toBe(
            requirements === undefined,
          );
          if (requirements !== undefined) return;
          expect(selectorMatches(object, objectLabels)).toBe(false);
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'in object form, written as text for the API server, read back the same',
    () => {
      fc.assert(
        fc.property(
          fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
          fc.array(
            fc.oneof(
              fc.record({
                key: labelKey,
                operator: fc.constantFrom('In', 'NotIn'),
                values: fc.array(labelName, { minLength: 1, maxLength: 3 }),
              }),
              fc.record({
                key: labelKey,
                operator: fc.constantFrom('Exists', 'DoesNotExist'),
              }),
            ),
            { maxLength: 3 },
          ),
          (matchLabels, matchExpressions) => {
            const object = { matchLabels, matchExpressions };
            expect(parseLabelSelector(formatLabelSelector(object)!)).toEqual(
              labelSelectorFromObject(object),
            );
          },
        ),
        fuzzParameters(500),
      );
    },
    fuzzTimeout(),
  );

  it('refuse a huge selector quickly', () => {
    const started = performance.now();
    for (const text of [
      `${'a'.repeat(100_000)}!`,
      `${'a.'.repeat(50_000)}/b`,
      `k in (${'a,'.repeat(50_000)}!)`,
      `${'('.repeat(50_000)}`,
      `k=${'-'.repeat(100_000)}`,
    ])
      expect(parseOrSyntaxError(text)).toBeInstanceOf(LabelSelectorSyntaxError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('match the labels of objects of any shape without throwing', () => {
    fc.assert(
      fc.property(anyShapeKubernetes.namespaceObject, namespace => {
        const selector = parseLabelSelector('app=web,!legacy');
        expect(
          typeof matchesLabelSelector(
            namespace.metadata?.labels as Record<string, string>,
            selector,
          ),
        ).toBe('boolean');
      }),
      fuzzParameters(300),
    );
  });
});
