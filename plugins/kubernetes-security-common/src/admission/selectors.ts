import {
  LabelSelector,
  LabelRequirement,
  matchesLabelSelector,
} from '../labelSelector';

/** A `metav1.LabelSelector` as found in policy and binding specs. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const OPERATORS: Record<string, LabelRequirement['operator']> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: 'doesnotexist',
};

/**
 * Converts the object form to requirements; an absent or empty selector
 * selects everything. A malformed one selects nothing, as the API server
 * would have refused it and nothing is known to match.
 */
export function labelSelectorFromObject(
  selector: LabelSelectorObject | null | undefined,
): LabelSelector | undefined {
  if (!selector) return [];
  if (typeof selector !== 'object' || Array.isArray(selector)) return undefined;
  const matchLabels = selector.matchLabels ?? {};
  const matchExpressions = selector.matchExpressions ?? [];
  if (!isStringMap(matchLabels) || !Array.isArray(matchExpressions))
    return undefined;
  const requirements: LabelSelector = Object.entries(matchLabels).map(
    ([key, value]) => ({ key, operator: 'in', values: [value] }),
  );
  for (const expression of matchExpressions) {
    const operator =
      typeof expression?.operator === 'string' &&
      Object.prototype.hasOwnProperty.call(OPERATORS, expression.operator)
        ? OPERATORS[expression.operator]
        : undefined;
    if (!operator || typeof expression.key !== 'string') return undefined;
    const values = expression.values ?? [];
    if (
      !Array.isArray(values) ||
      !values.every(value => typeof value === 'string')
    )
      return undefined;
    requirements.push(
      operator === 'in' || operator === 'notin'
        ? { key: expression.key, operator, values }
        : { key: expression.key, operator },
    );
  }
  return requirements;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(item => typeof item === 'string')
  );
}

export function selectorMatches(
  selector: LabelSelectorObject | null | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const requirements = labelSelectorFromObject(selector);
  return (
    requirements !== undefined && matchesLabelSelector(labels, requirements)
  );
}

/** The string form for a `labelSelector` list parameter. */
export function formatLabelSelector(
  selector: LabelSelectorObject | null | undefined,
): string | undefined {
  const requirements = labelSelectorFromObject(selector);
  if (!requirements) return undefined;
  return requirements
    .map(r => {
      switch (r.operator) {
        // One value as an equality: the API server refuses `key in ()`, the set form of an empty value.
        case 'in':
          return r.values.length === 1
            ? `${r.key}=${r.values[0]}`
            : `${r.key} in (${r.values.join(',')})`;
        case 'notin':
          return r.values.length === 1
            ? `${r.key}!=${r.values[0]}`
            : `${r.key} notin (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}
