import type { WorkloadKind } from '../kubernetes';
import { WORKLOAD_RESOURCES } from '../scannedResources';
import { selectorMatches, type LabelSelectorObject } from './selectors';

/** What the API server knows about a request when it picks policies. */
export interface RequestAttributes {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  kind: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  objectLabels: Record<string, string>;
  namespaceLabels: Record<string, string>;
}

export interface RuleWithOperations {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  operations?: string[];
  scope?: string;
  resourceNames?: string[];
}

export interface MatchResources {
  resourceRules?: RuleWithOperations[];
  excludeResourceRules?: RuleWithOperations[];
  namespaceSelector?: LabelSelectorObject | null;
  objectSelector?: LabelSelectorObject | null;
  matchPolicy?: 'Exact' | 'Equivalent';
}

export const RESOURCE_OF = Object.fromEntries(
  WORKLOAD_RESOURCES.map(({ kind, group, version, resource }) => [
    kind,
    { group, version, resource },
  ]),
) as Record<WorkloadKind, { group: string; version: string; resource: string }>;

/**
 * Resources served under another group too, which `matchPolicy: Equivalent`
 * treats as the same (the API server converts the object for the policy).
 */
const OTHER_GROUPS: Record<string, string[]> = {
  'apps/deployments': ['extensions'],
  'apps/daemonsets': ['extensions'],
  'apps/replicasets': ['extensions'],
};

const has = (list: string[] | undefined, value: string) =>
  (list ?? []).includes('*') || (list ?? []).includes(value);

function resourceMatches(
  patterns: string[] | undefined,
  attrs: RequestAttributes,
) {
  // As the API server: `*` is every resource without subresources, `pods/*`
  // pods and their subresources, `*/*` everything.
  return (patterns ?? []).some(pattern => {
    const [resource, subresource = ''] = pattern.split('/');
    return (
      (resource === '*' || resource === attrs.resource) &&
      (subresource === '*' || subresource === attrs.subresource)
    );
  });
}

export function ruleMatches(
  rule: RuleWithOperations,
  attrs: RequestAttributes,
  matchPolicy: 'Exact' | 'Equivalent' = 'Equivalent',
): boolean {
  if (!has(rule.operations, attrs.operation)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && attrs.namespace !== undefined) return false;
  if (scope === 'Namespaced' && attrs.namespace === undefined) return false;
  if (rule.resourceNames?.length && !rule.resourceNames.includes(attrs.name)) {
    return false;
  }
  if (!resourceMatches(rule.resources, attrs)) return false;
  if (
    has(rule.apiGroups, attrs.group) &&
    has(rule.apiVersions, attrs.version)
  ) {
    return true;
  }
  if (matchPolicy === 'Exact') return false;
  // Equivalent: the same resource at any version the rule names, or in a
  // group that serves the same objects.
  const groups = [
    attrs.group,
    ...(OTHER_GROUPS[`${attrs.group}/${attrs.resource}`] ?? []),
  ];
  return (
    groups.some(group => has(rule.apiGroups, group)) &&
    (rule.apiVersions ?? []).length > 0
  );
}

/**
 * Whether a policy's `matchConstraints` (rules required) or a binding's
 * `matchResources` (rules optional: the policy's then apply) select a request.
 */
export function matchesResources(
  match: MatchResources | undefined,
  attrs: RequestAttributes,
  options: { rulesRequired: boolean },
): boolean {
  const policy = match?.matchPolicy ?? 'Equivalent';
  const rules = match?.resourceRules ?? [];
  if (rules.length === 0 && options.rulesRequired) return false;
  if (
    rules.length > 0 &&
    !rules.some(rule => ruleMatches(rule, attrs, policy))
  ) {
    return false;
  }
  if (
    (match?.excludeResourceRules ?? []).some(rule =>
      ruleMatches(rule, attrs, policy),
    )
  ) {
    return false;
  }
  // Cluster-scoped objects are not subject to namespace selectors.
  if (
    attrs.namespace !== undefined &&
    !selectorMatches(match?.namespaceSelector, attrs.namespaceLabels)
  ) {
    return false;
  }
  return selectorMatches(match?.objectSelector, attrs.objectLabels);
}
