import {
  matchesResources,
  ruleMatches,
  type RequestAttributes,
} from './matching';
import { selectorMatches } from './selectors';

const deployment: RequestAttributes = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  subresource: '',
  kind: 'Deployment',
  operation: 'CREATE',
  name: 'web',
  namespace: 'shop',
  objectLabels: { app: 'web' },
  namespaceLabels: { 'kubernetes.io/metadata.name': 'shop', env: 'prod' },
};
const rule = {
  apiGroups: ['apps'],
  apiVersions: ['v1'],
  operations: ['CREATE'],
  resources: ['deployments'],
};

describe('resource rules', () => {
  it.each([
    [{ ...rule }, true],
    [{ ...rule, operations: ['UPDATE'] }, false],
    [{ ...rule, operations: ['*'] }, true],
    [{ ...rule, resources: ['*'] }, true],
    [{ ...rule, resources: ['*/*'] }, true],
    [{ ...rule, resources: ['deployments/*'] }, true],
    [{ ...rule, resources: ['*/scale'] }, false],
    [{ ...rule, resources: ['pods'] }, false],
    [{ ...rule, scope: 'Cluster' }, false],
    [{ ...rule, scope: 'Namespaced' }, true],
    [{ ...rule, resourceNames: ['other'] }, false],
    [{ ...rule, apiGroups: ['*'], apiVersions: ['*'] }, true],
  ])('%j matches: %s', (r, expected) => {
    expect(ruleMatches(r, deployment)).toBe(expected);
  });

  it('matches a scale subresource only with a subresource pattern', () => {
    const scale = { ...deployment, subresource: 'scale' };
    expect(ruleMatches({ ...rule, resources: ['deployments'] }, scale)).toBe(
      false,
    );
    expect(ruleMatches({ ...rule, resources: ['*/scale'] }, scale)).toBe(true);
  });

  it('treats other versions and the extensions group as equivalent unless Exact', () => {
    const older = {
      ...rule,
      apiGroups: ['extensions'],
      apiVersions: ['v1beta1'],
    };
    expect(ruleMatches(older, deployment, 'Equivalent')).toBe(true);
    expect(ruleMatches(older, deployment, 'Exact')).toBe(false);
    expect(
      ruleMatches(
        { ...rule, apiVersions: ['v1beta2'] },
        deployment,
        'Equivalent',
      ),
    ).toBe(true);
    // Pods have no equivalent in apps.
    expect(
      ruleMatches(
        older,
        { ...deployment, group: '', resource: 'pods', kind: 'Pod' },
        'Equivalent',
      ),
    ).toBe(false);
  });
});

describe('matchesResources', () => {
  it('needs rules for a policy but not for a binding', () => {
    expect(matchesResources({}, deployment, { rulesRequired: true })).toBe(
      false,
    );
    expect(matchesResources({}, deployment, { rulesRequired: false })).toBe(
      true,
    );
    expect(
      matchesResources(undefined, deployment, { rulesRequired: false }),
    ).toBe(true);
  });

  it('applies excludes, namespace and object selectors', () => {
    const match = { resourceRules: [rule] };
    expect(
      matchesResources({ ...match, excludeResourceRules: [rule] }, deployment, {
        rulesRequired: true,
      }),
    ).toBe(false);
    expect(
      matchesResources(
        {
          ...match,
          namespaceSelector: {
            matchExpressions: [
              {
                key: 'kubernetes.io/metadata.name',
                operator: 'NotIn',
                values: ['shop'],
              },
            ],
          },
        },
        deployment,
        { rulesRequired: true },
      ),
    ).toBe(false);
    expect(
      matchesResources(
        {
          ...match,
          namespaceSelector: { matchLabels: { env: 'prod' } },
          objectSelector: { matchLabels: { app: 'web' } },
        },
        deployment,
        {
          rulesRequired: true,
        },
      ),
    ).toBe(true);
    expect(
      matchesResources(
        { ...match, objectSelector: { matchLabels: { app: 'api' } } },
        deployment,
        { rulesRequired: true },
      ),
    ).toBe(false);
    // Namespace selectors do not apply to cluster-scoped objects.
    const clusterScoped = { ...deployment, namespace: undefined };
    expect(
      matchesResources(
        { ...match, namespaceSelector: { matchLabels: { env: 'dev' } } },
        clusterScoped,
        { rulesRequired: true },
      ),
    ).toBe(true);
  });
});

describe('selectorMatches', () => {
  it('handles every operator and treats malformed selectors as matching nothing', () => {
    const labels = { a: '1', b: '2' };
    expect(selectorMatches(undefined, labels)).toBe(true);
    expect(selectorMatches({}, labels)).toBe(true);
    expect(
      selectorMatches(
        {
          matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '3'] }],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: 'c', operator: 'Exists' }] },
        labels,
      ),
    ).toBe(false);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] },
        labels,
      ),
    ).toBe(true);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: 'a', operator: 'Matches' }] },
        labels,
      ),
    ).toBe(false);
  });
});
