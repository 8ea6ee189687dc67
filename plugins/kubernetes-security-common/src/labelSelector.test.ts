import {
  LabelSelectorSyntaxError,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it('parses every operator of the string syntax', () => {
    expect(
      parseLabelSelector(
        'app=web, tier==front,env!=dev,zone in (a, b),team notin (x),canary,!legacy',
      ),
    ).toEqual([
      { key: 'app', operator: 'in', values: ['web'] },
      { key: 'tier', operator: 'in', values: ['front'] },
      { key: 'env', operator: 'notin', values: ['dev'] },
      { key: 'zone', operator: 'in', values: ['a', 'b'] },
      { key: 'team', operator: 'notin', values: ['x'] },
      { key: 'canary', operator: 'exists' },
      { key: 'legacy', operator: 'doesnotexist' },
    ]);
  });

  it('accepts prefixed keys and empty values', () => {
    expect(parseLabelSelector('app.kubernetes.io/name=ledger,x=')).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'in', values: ['ledger'] },
      { key: 'x', operator: 'in', values: [''] },
    ]);
  });

  it('selects everything when empty', () => {
    expect(parseLabelSelector('  ')).toEqual([]);
  });

  it.each([
    ['app=web,', 'empty requirement'],
    ['zone in (a,b', 'unbalanced "("'],
    ['app=we b', 'invalid label key'],
    ['app=-bad', 'invalid label value'],
    ['bad key!', 'invalid label key'],
  ])('rejects %p with a clear reason', (selector, reason) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      LabelSelectorSyntaxError,
    );
    expect(() => parseLabelSelector(selector)).toThrow(reason);
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'web', env: 'prod', canary: '' };

  it.each([
    ['app=web', true],
    ['app=api', false],
    ['app=web,env=prod', true],
    ['app=web,env=dev', false],
    ['env!=dev', true],
    ['missing!=x', true],
    ['env in (prod,stage)', true],
    ['env notin (prod)', false],
    ['missing notin (prod)', true],
    ['canary', true],
    ['!canary', false],
    ['!missing', true],
    ['', true],
  ])('%p → %p', (selector, expected) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(
      expected,
    );
  });

  it('treats missing labels as empty', () => {
    expect(matchesLabelSelector(undefined, parseLabelSelector('!app'))).toBe(
      true,
    );
    expect(matchesLabelSelector(undefined, parseLabelSelector('app'))).toBe(
      false,
    );
  });
});
