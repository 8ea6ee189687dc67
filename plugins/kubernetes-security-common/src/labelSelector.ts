/**
 * Kubernetes label selectors in their string form (`a=b,c!=d,e in (f,g),!h`),
 * parsed once and matched in memory. A scan lists every kind once per cluster
 * and then maps objects to entities with these, instead of asking the API
 * server once per entity.
 */

export type LabelRequirement =
  | { key: string; operator: 'in' | 'notin'; values: string[] }
  | { key: string; operator: 'exists' | 'doesnotexist' };

export type LabelSelector = LabelRequirement[];

export class LabelSelectorSyntaxError extends Error {
  constructor(selector: string, reason: string) {
    super(`Invalid label selector "${selector}": ${reason}`);
    this.name = 'LabelSelectorSyntaxError';
  }
}

// Qualified name with optional DNS prefix, as accepted by the API server.
const KEY_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE_PATTERN = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside a parenthesised value set. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth < 0)
      throw new LabelSelectorSyntaxError(selector, 'unbalanced ")"');
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0)
    throw new LabelSelectorSyntaxError(selector, 'unbalanced "("');
  parts.push(current);
  return parts.map(p => p.trim());
}

function checkKey(selector: string, key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw new LabelSelectorSyntaxError(selector, `invalid label key "${key}"`);
  }
  return key;
}

function checkValue(selector: string, value: string): string {
  if (!VALUE_PATTERN.test(value)) {
    throw new LabelSelectorSyntaxError(
      selector,
      `invalid label value "${value}"`,
    );
  }
  return value;
}

function parseRequirement(selector: string, part: string): LabelRequirement {
  if (part === '') {
    throw new LabelSelectorSyntaxError(selector, 'empty requirement');
  }
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (setMatch) {
    const values = setMatch[3]
      .split(',')
      .map(v => v.trim())
      .map(v => checkValue(selector, v));
    if (values.length === 0 || (values.length === 1 && values[0] === '')) {
      throw new LabelSelectorSyntaxError(
        selector,
        `empty value set for "${setMatch[1]}"`,
      );
    }
    return {
      key: checkKey(selector, setMatch[1]),
      operator: setMatch[2] as 'in' | 'notin',
      values,
    };
  }
  const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (equality) {
    return {
      key: checkKey(selector, equality[1]),
      operator: equality[2] === '!=' ? 'notin' : 'in',
      values: [checkValue(selector, equality[3])],
    };
  }
  if (part.startsWith('!')) {
    return {
      key: checkKey(selector, part.slice(1).trim()),
      operator: 'doesnotexist',
    };
  }
  return { key: checkKey(selector, part), operator: 'exists' };
}

/** Parses a selector string. An empty string selects everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  if (selector.trim() === '') return [];
  return splitRequirements(selector).map(part =>
    parseRequirement(selector, part),
  );
}

export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: LabelSelector,
): boolean {
  const actual = labels ?? {};
  return selector.every(requirement => {
    const has = Object.prototype.hasOwnProperty.call(actual, requirement.key);
    switch (requirement.operator) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && requirement.values.includes(actual[requirement.key]);
      case 'notin':
        return !has || !requirement.values.includes(actual[requirement.key]);
      default:
        return false;
    }
  });
}
