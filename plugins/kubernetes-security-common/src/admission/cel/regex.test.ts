import { CelEngine, type CelActivation } from './celEnvironment';
import { regexFind, regexFindAll, regexMatches } from './regex';

const engine = CelEngine.shared();
const empty: CelActivation = {
  object: null,
  oldObject: null,
  request: null,
  params: null,
  namespaceObject: null,
  variables: {},
};

describe('RE2 regular expressions', () => {
  // On a backtracking engine `(a+)+$` takes 2^36 steps on this input.
  const catastrophic = `'${'a'.repeat(36)}!'`;

  it.each([
    [`${catastrophic}.find('(a+)+$')`, ''],
    [`${catastrophic}.findAll('(a+)+$')`, []],
    [`${catastrophic}.matches('(a+)+$')`, false],
    [`matches(${catastrophic}, '(a+)+$')`, false],
    [`'${'a'.repeat(36)}'.find('(a+)+$')`, 'a'.repeat(36)],
  ])('%s runs in linear time', (expression, expected) => {
    expect(engine.evaluate(expression, empty)).toEqual({
      kind: 'value',
      value: expected,
    });
  });

  it('stays linear on long inputs', () => {
    const long = `${'a'.repeat(200_000)}!`;
    expect(regexMatches(long, '(a+)+$')).toBe(false);
    expect(regexFind(long, '(a|aa)*b')).toBe('');
  });

  it('finds leftmost-first matches, as Go does', () => {
    expect(regexFind('ab', 'a|ab')).toBe('a');
    expect(regexFind('aaa', 'a+?')).toBe('a');
    expect(regexFind('xABCx', '(?i)abc')).toBe('ABC');
    expect(regexFind('abc', 'z')).toBe('');
  });

  it('finds all matches with the positions of Go FindAllString', () => {
    expect(regexFindAll('123 abc 456', '[0-9]+')).toEqual(['123', '456']);
    expect(regexFindAll('123 abc 456', '[0-9]+', 1)).toEqual(['123']);
    expect(regexFindAll('123 abc 456', '[0-9]+', 0)).toEqual([]);
    // No empty match right after a match; empty matches advance a character.
    expect(regexFindAll('abc', 'a*')).toEqual(['a', '', '']);
    expect(regexFindAll('a😀', '')).toEqual(['', '', '']);
    expect(regexFindAll('x😀b', '😀|b')).toEqual(['😀', 'b']);
    // Later searches still see the text before them.
    expect(regexFindAll('ab b', '\\bb')).toEqual(['b']);
    expect(regexFindAll('ab', '^b')).toEqual([]);
    expect(regexFindAll('a\nb', '(?m)^\\w')).toEqual(['a', 'b']);
  });

  it('accepts RE2 syntax that JavaScript lacks', () => {
    expect(regexFind('ab', '(?P<x>a)')).toBe('a');
    expect(regexFindAll('a.b axb', '\\Qa.b\\E')).toEqual(['a.b']);
    expect(regexFind('ab12', '[[:digit:]]+')).toBe('12');
    expect(regexFind('1é', '\\pL')).toBe('é');
    expect(regexMatches('ab', '\\Aab\\z')).toBe(true);
  });

  it('rejects what RE2 rejects', () => {
    expect(() => regexFind('ab', 'a(?=b)')).toThrow(
      /invalid regular expression/,
    );
    expect(() => regexFind('aa', '(a)\\1')).toThrow(
      /invalid regular expression/,
    );
    expect(() => regexMatches('a', '(')).toThrow(/invalid regular expression/);
  });
});
