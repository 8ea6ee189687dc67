import type { RequestInfo } from './requestInfo';
import type { PolicyRule } from './types';

export type AuthorizationAttributes = Omit<RequestInfo, 'apiVersion'>;

/**
 * What the default ClusterRoleBindings grant every authenticated user:
 * system:basic-user, system:discovery and system:public-info-viewer.
 */
const AUTHENTICATED_USER_RULES: readonly PolicyRule[] = [
  {
    verbs: ['create'],
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  },
  {
    verbs: ['create'],
    apiGroups: ['authentication.k8s.io'],
    resources: ['selfsubjectreviews'],
  },
  {
    verbs: ['get'],
    nonResourceURLs: [
      '/api',
      '/api/*',
      '/apis',
      '/apis/*',
      '/healthz',
      '/livez',
      '/openapi',
      '/openapi/*',
      '/readyz',
      '/version',
      '/version/',
    ],
  },
  {
    verbs: ['get'],
    nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
  },
];

function includesOrWildcard(
  list: readonly string[] | undefined,
  value: string,
): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

/** Rules without `namespaces` apply everywhere; others only inside the listed namespaces. */
function appliesInNamespace(rule: PolicyRule, namespace: string): boolean {
  if (!rule.namespaces) return true;
  return namespace !== '' && includesOrWildcard(rule.namespaces, namespace);
}

/** RBAC's ResourceMatches: a wildcard, the exact resource[/subresource], or a wildcard resource with that subresource. */
function resourceMatches(
  rule: PolicyRule,
  resource: string,
  subresource: string,
): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    ruleResource =>
      ruleResource === '*' ||
      ruleResource === combined ||
      (subresource !== '' && ruleResource === `*/${subresource}`),
  );
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    url =>
      url === '*' ||
      url === path ||
      (url.endsWith('*') && path.startsWith(url.slice(0, -1))),
  );
}

function ruleAllows(
  rule: PolicyRule,
  request: AuthorizationAttributes,
): boolean {
  if (!includesOrWildcard(rule.verbs, request.verb)) return false;
  if (!request.isResourceRequest)
    return nonResourceURLMatches(rule, request.path);
  return (
    appliesInNamespace(rule, request.namespace) &&
    includesOrWildcard(rule.apiGroups, request.apiGroup) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    (!rule.resourceNames?.length || rule.resourceNames.includes(request.name))
  );
}

export function isAuthorized(
  rules: readonly PolicyRule[],
  request: AuthorizationAttributes,
): boolean {
  return (
    AUTHENTICATED_USER_RULES.some(rule => ruleAllows(rule, request)) ||
    rules.some(rule => ruleAllows(rule, request))
  );
}

/** The authorizer's denial text, as the apiserver's forbiddenMessage. */
export function forbiddenReason(
  username: string,
  request: AuthorizationAttributes,
): string {
  if (!request.isResourceRequest) {
    return `User "${username}" cannot ${request.verb} path "${request.path}"`;
  }
  const resource = request.subresource
    ? `${request.resource}/${request.subresource}`
    : request.resource;
  const scope = request.namespace
    ? `in the namespace "${request.namespace}"`
    : 'at the cluster scope';
  return `User "${username}" cannot ${request.verb} resource "${resource}" in API group "${request.apiGroup}" ${scope}`;
}

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

/** The rules that apply in a namespace (`` = cluster scope only), as SelfSubjectRulesReview reports them. */
export function rulesInNamespace(
  rules: readonly PolicyRule[],
  namespace: string,
): { resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[] } {
  const applicable = [...rules, ...AUTHENTICATED_USER_RULES].filter(rule =>
    appliesInNamespace(rule, namespace),
  );
  return {
    resourceRules: applicable
      .filter(rule => rule.resources?.length)
      .map(rule => ({
        verbs: [...rule.verbs],
        apiGroups: [...(rule.apiGroups ?? [])],
        resources: [...(rule.resources ?? [])],
        ...(rule.resourceNames?.length
          ? { resourceNames: [...rule.resourceNames] }
          : {}),
      })),
    nonResourceRules: applicable
      .filter(rule => rule.nonResourceURLs?.length)
      .map(rule => ({
        verbs: [...rule.verbs],
        nonResourceURLs: [...(rule.nonResourceURLs ?? [])],
      })),
  };
}
