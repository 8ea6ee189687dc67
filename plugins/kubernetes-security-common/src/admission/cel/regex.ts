import { RE2JS } from 're2js';
import { CelLibraryError } from './celErrors';
import { chargeCost } from './costBudget';

/**
 * Regular expressions as Kubernetes evaluates them: RE2 syntax and semantics
 * (leftmost-first, as Go's regexp), in time linear in the input, on RE2JS.
 * No pattern runs on the JS engine, whose backtracking lets `(a+)+$` take
 * exponential time.
 */

const compiled = new Map<string, RE2JS>();
const CACHE_LIMIT = 500;

function re2(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    try {
      regex = RE2JS.compile(pattern);
    } catch (error) {
      throw new CelLibraryError(
        `invalid regular expression "${pattern}": ${(error as Error).message}`,
      );
    }
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

/**
 * cel-go's cost of a regex search: traversing the text (0.1 per character)
 * times the pattern's size (0.25 per character).
 */
function chargeSearch(textLength: number, pattern: string): void {
  chargeCost(
    1 + Math.ceil(textLength * 0.1) * Math.ceil(pattern.length * 0.25),
  );
}

/** UTF-16 units of the character at `index` (1 past the end). */
function characterWidth(value: string, index: number): number {
  const codePoint = value.codePointAt(index);
  return codePoint !== undefined && codePoint > 0xffff ? 2 : 1;
}

/** CEL `matches`: true when the pattern matches any part of the string. */
export function regexMatches(value: string, pattern: string): boolean {
  const regex = re2(pattern);
  chargeSearch(value.length, pattern);
  return regex.test(value);
}

/** Kubernetes `find`: the first match, or `''`. */
export function regexFind(value: string, pattern: string): string {
  const regex = re2(pattern);
  chargeSearch(value.length, pattern);
  const matcher = regex.matcher(value);
  return matcher.find() ? matcher.group() ?? '' : '';
}

/**
 * Kubernetes `findAll`: up to `limit` matches (all when negative), found as
 * Go's `FindAllString` finds them: an empty match right after the previous
 * match is skipped, and the search moves one character past an empty match.
 * Each search is charged up to the end of the text: leftmost-first matching
 * may have to read that far before settling on a match (`.*z|a`), so a
 * search per match can cost quadratic time, which cel-go's single charge
 * for the traversal would miss.
 */
export function regexFindAll(
  value: string,
  pattern: string,
  limit = -1,
): string[] {
  const regex = re2(pattern);
  const matcher = regex.matcher(value);
  const found: string[] = [];
  let position = 0;
  let previousEnd = -1;
  while ((limit < 0 || found.length < limit) && position <= value.length) {
    chargeSearch(value.length - position, pattern);
    if (!matcher.find(position)) break;
    const start = matcher.start();
    const end = matcher.end();
    const accepted = !(end === position && start === previousEnd);
    position =
      end === position ? position + characterWidth(value, position) : end;
    previousEnd = end;
    if (accepted) found.push(value.slice(start, end));
  }
  return found;
}
