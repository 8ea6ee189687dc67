import { forbiddenReason, isAuthorized } from './rbac';
import { parseRequestInfo } from './requestInfo';
import type { PolicyRule } from './types';

const info = (method: string, path: string, query = '') =>
  parseRequestInfo(method, path, new URLSearchParams(query));

describe('request attributes', () => {
  it.each([
    [
      'GET',
      '/api/v1/pods',
      '',
      { verb: 'list', resource: 'pods', namespace: '' },
    ],
    ['GET', '/api/v1/pods', 'watch=true', { verb: 'watch', resource: 'pods' }],
    [
      'GET',
      '/api/v1/namespaces/shop/pods/web/log',
      '',
      {
        verb: 'get',
        namespace: 'shop',
        resource: 'pods',
        name: 'web',
        subresource: 'log',
      },
    ],
    [
      'GET',
      '/api/v1/namespaces/shop',
      '',
      { verb: 'get', namespace: 'shop', resource: 'namespaces', name: 'shop' },
    ],
    [
      'GET',
      '/api/v1/namespaces/shop/status',
      '',
      { resource: 'namespaces', name: 'shop', subresource: 'status' },
    ],
    [
      'GET',
      '/apis/apps/v1/namespaces/shop/deployments',
      'fieldSelector=metadata.name%3Dweb',
      { verb: 'list', apiGroup: 'apps', name: 'web' },
    ],
    [
      'DELETE',
      '/api/v1/namespaces/shop/pods',
      '',
      { verb: 'deletecollection' },
    ],
    [
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      '',
      { verb: 'create', apiGroup: 'authorization.k8s.io' },
    ],
  ])('%s %s?%s', (method, path, query, expected) => {
    expect(info(method, path, query)).toMatchObject({
      isResourceRequest: true,
      ...expected,
    });
  });

  it.each([
    '/api',
    '/api/v1',
    '/apis',
    '/apis/apps',
    '/apis/apps/v1',
    '/version',
    '/healthz',
  ])('treats %s as a non-resource request', path => {
    expect(info('GET', path)).toMatchObject({
      isResourceRequest: false,
      verb: 'get',
      path,
    });
  });
});

describe('RBAC rules', () => {
  const allows = (rules: PolicyRule[], method: string, path: string) =>
    isAuthorized(rules, info(method, path));

  it('matches wildcards and subresources like RBAC', () => {
    const statusReader: PolicyRule[] = [
      { apiGroups: ['*'], resources: ['*/status'], verbs: ['get'] },
    ];
    expect(
      allows(
        statusReader,
        'GET',
        '/apis/apps/v1/namespaces/a/deployments/d/status',
      ),
    ).toBe(true);
    expect(
      allows(statusReader, 'GET', '/apis/apps/v1/namespaces/a/deployments/d'),
    ).toBe(false);

    const everything: PolicyRule[] = [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    ];
    expect(allows(everything, 'GET', '/api/v1/namespaces/a/pods/p/log')).toBe(
      true,
    );
    expect(allows(everything, 'GET', '/metrics')).toBe(false);

    const podsOnly: PolicyRule[] = [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ];
    expect(allows(podsOnly, 'GET', '/api/v1/namespaces/a/pods/p/log')).toBe(
      false,
    );
    expect(allows(podsOnly, 'GET', '/apis/apps/v1/namespaces/a/pods/p')).toBe(
      false,
    );
  });

  it('scopes rules with namespaces to those namespaces', () => {
    const rules: PolicyRule[] = [
      {
        apiGroups: [''],
        resources: ['pods'],
        verbs: ['list'],
        namespaces: ['a'],
      },
    ];
    expect(allows(rules, 'GET', '/api/v1/namespaces/a/pods')).toBe(true);
    expect(allows(rules, 'GET', '/api/v1/namespaces/b/pods')).toBe(false);
    expect(allows(rules, 'GET', '/api/v1/pods')).toBe(false);
    const anyNamespace: PolicyRule[] = [{ ...rules[0], namespaces: ['*'] }];
    expect(allows(anyNamespace, 'GET', '/api/v1/namespaces/b/pods')).toBe(true);
    expect(allows(anyNamespace, 'GET', '/api/v1/pods')).toBe(false);
  });

  it('matches non-resource URLs exactly or by trailing *', () => {
    const rules: PolicyRule[] = [
      { nonResourceURLs: ['/metrics', '/debug/*'], verbs: ['get'] },
    ];
    expect(allows(rules, 'GET', '/metrics')).toBe(true);
    expect(allows(rules, 'GET', '/debug/pprof/heap')).toBe(true);
    expect(allows(rules, 'GET', '/metricsx')).toBe(false);
  });

  it('grants discovery and self-reviews to everyone', () => {
    expect(allows([], 'GET', '/apis/apps/v1')).toBe(true);
    expect(allows([], 'GET', '/version')).toBe(true);
    expect(
      allows(
        [],
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      ),
    ).toBe(true);
    expect(
      allows([], 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews'),
    ).toBe(true);
    expect(
      allows([], 'POST', '/apis/authentication.k8s.io/v1/tokenreviews'),
    ).toBe(false);
  });

  it('explains denials as the apiserver does', () => {
    expect(
      forbiddenReason('bob', info('GET', '/api/v1/namespaces/a/pods/p/log')),
    ).toBe(
      'User "bob" cannot get resource "pods/log" in API group "" in the namespace "a"',
    );
    expect(
      forbiddenReason(
        'bob',
        info('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles'),
      ),
    ).toBe(
      'User "bob" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
    );
  });
});
