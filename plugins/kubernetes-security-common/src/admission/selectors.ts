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
  const requirements: LabelSelector = Object.entries(
    selector.matchLabels ?? {},
  ).map(([key, value]) => ({ key, operator: 'in', values: [String(value)] }));
  for (const expression of selector.matchExpressions ?? []) {
    const operator = OPERATORS[expression?.operator];
    if (!operator || typeof expression.key !== 'string') return undefined;
    requirements.push(
      operator === 'in' || operator === 'notin'
        ? { key: expression.key, operator, values: expression.values ?? [] }
        : { key: expression.key, operator },
    );
  }
  return requirements;
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
        case 'in':
          return `${r.key} in (${r.values.join(',')})`;
        case 'notin':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}
