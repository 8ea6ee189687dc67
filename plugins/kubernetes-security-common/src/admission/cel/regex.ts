import { RE2JS } from '@bufbuild/re2';
import { CelLibraryError, UnsupportedCelFeatureError } from './celErrors';

/**
 * Regular expressions as Kubernetes evaluates them: RE2 syntax and semantics.
 * `matches` runs on RE2 itself. RE2 here has no public match-position API, so
 * `find`/`findAll` check the pattern with RE2 and take positions from the JS
 * engine, which agrees with RE2 (both leftmost-first) on the syntax both
 * understand; patterns outside that shared syntax are reported as unsupported
 * rather than answered differently.
 */

const compiled = new Map<string, RE2JS>();
const translated = new Map<string, RegExp | Error>();
const CACHE_LIMIT = 500;

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}

function re2(pattern: string): RE2JS {
  return remember(compiled, pattern, () => {
    try {
      return RE2JS.compile(pattern);
    } catch (error) {
      throw new CelLibraryError(
        `invalid regular expression "${pattern}": ${(error as Error).message}`,
      );
    }
  });
}

/** RE2 constructs the JS engine reads differently or not at all. */
const RE2_ONLY = [
  /\(\?[a-zA-Z-]+[:)]/, // inline flags past the start
  /\(\?P</, // Python-style named groups
  /\[\[:/, // POSIX classes
  /\\[ACQEz]/, // \A, \C, \Q…\E, \z
  /\\[pP][A-Za-z]/, // one-letter Unicode classes without braces
];

function toJsRegExp(pattern: string): RegExp {
  const cached = remember(translated, pattern, () => {
    // A leading `(?i)`, `(?s)` or `(?m)` group becomes a JS flag.
    const leading = /^\(\?([ims]+)\)/.exec(pattern);
    const body = leading ? pattern.slice(leading[0].length) : pattern;
    if (RE2_ONLY.some(construct => construct.test(body))) {
      return new Error(
        `regular expression "${pattern}" uses RE2 syntax this simulation cannot locate matches for`,
      );
    }
    try {
      return new RegExp(body, `gu${leading?.[1] ?? ''}`);
    } catch (error) {
      return error as Error;
    }
  });
  if (cached instanceof Error) {
    throw new UnsupportedCelFeatureError('regex', cached.message);
  }
  cached.lastIndex = 0;
  return cached;
}

/** CEL `matches`: true when the pattern matches any part of the string. */
export function regexMatches(value: string, pattern: string): boolean {
  return re2(pattern).test(value);
}

/** Kubernetes `find`: the first match, or `''`. */
export function regexFind(value: string, pattern: string): string {
  re2(pattern);
  return toJsRegExp(pattern).exec(value)?.[0] ?? '';
}

/** Kubernetes `findAll`: up to `limit` matches (all when negative). */
export function regexFindAll(
  value: string,
  pattern: string,
  limit = -1,
): string[] {
  re2(pattern);
  if (limit === 0) return [];
  const regexp = toJsRegExp(pattern);
  const found: string[] = [];
  for (const match of value.matchAll(regexp)) {
    found.push(match[0]);
    if (limit > 0 && found.length >= limit) break;
  }
  return found;
}
