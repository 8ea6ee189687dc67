import { compareKubeAwareVersions, computeServedApis } from './servedApis';
import { readCustomResourceDefinition } from './crds';
import {
  apiGroupListDocument,
  apiResourceListDocument,
  apiVersionsDocument,
} from './discovery';
import { minorVersionOf, resolveVersionInfo } from './version';

function servedVersions(
  minor: number,
  group: string,
  plural: string,
  gates = {},
) {
  const apis = computeServedApis({ minor, featureGates: gates }, []);
  return (apis.findGroup(group)?.versions ?? []).filter(version =>
    apis.find(group, version, plural),
  );
}

describe('version matrix', () => {
  it.each([
    [26, {}, []],
    [26, { APISelfSubjectReview: true }, ['v1alpha1']],
    [27, {}, ['v1beta1']],
    [27, { APISelfSubjectReview: false }, []],
    [28, {}, ['v1', 'v1beta1']],
    [29, {}, ['v1', 'v1beta1']],
    [30, {}, ['v1']],
  ])('serves SelfSubjectReview at 1.%i %j as %j', (minor, gates, expected) => {
    expect(
      servedVersions(
        minor,
        'authentication.k8s.io',
        'selfsubjectreviews',
        gates,
      ),
    ).toEqual(expected);
  });

  it.each([
    [26, {}, []],
    [26, { ValidatingAdmissionPolicy: true }, ['v1alpha1']],
    [27, { ValidatingAdmissionPolicy: true }, ['v1alpha1']],
    [28, {}, []],
    [28, { ValidatingAdmissionPolicy: true }, ['v1beta1']],
    [29, { ValidatingAdmissionPolicy: true }, ['v1beta1']],
    [30, {}, ['v1']],
  ])(
    'serves ValidatingAdmissionPolicy at 1.%i %j as %j',
    (minor, gates, expected) => {
      for (const plural of [
        'validatingadmissionpolicies',
        'validatingadmissionpolicybindings',
      ]) {
        expect(
          servedVersions(minor, 'admissionregistration.k8s.io', plural, gates),
        ).toEqual(expected);
      }
    },
  );

  it('always serves tokenreviews and the core workload groups', () => {
    for (const minor of [26, 27, 28, 30]) {
      const apis = computeServedApis({ minor, featureGates: {} }, []);
      expect(
        apis.find('authentication.k8s.io', 'v1', 'tokenreviews'),
      ).toBeDefined();
      expect(apis.find('', 'v1', 'pods')).toBeDefined();
      expect(apis.find('apps', 'v1', 'deployments')).toBeDefined();
      expect(apis.find('batch', 'v1', 'cronjobs')).toBeDefined();
      expect(apis.find('storage.k8s.io', 'v1', 'csidrivers')).toBeDefined();
      expect(
        apis.find('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'),
      ).toBeDefined();
      expect(
        apis.find('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews'),
      ).toBeDefined();
    }
  });
});

describe('discovery documents', () => {
  const apis = computeServedApis({ minor: 28, featureGates: {} }, [
    readCustomResourceDefinition({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'policyreports.wgpolicyk8s.io' },
      spec: {
        group: 'wgpolicyk8s.io',
        scope: 'Namespaced',
        names: {
          plural: 'policyreports',
          kind: 'PolicyReport',
          shortNames: ['polr'],
        },
        versions: [
          {
            name: 'v1alpha2',
            served: true,
            storage: true,
            subresources: { status: {} },
          },
          { name: 'v1beta1', served: true, storage: false },
          { name: 'v1alpha1', served: false, storage: false },
        ],
      },
    }),
  ]);

  it('lists the core versions at /api', () => {
    expect(apiVersionsDocument(apis, '127.0.0.1:6443')).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [
        { clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' },
      ],
    });
  });

  it('lists groups with their preferred version at /apis', () => {
    const document = apiGroupListDocument(apis);
    expect(document).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1' });
    expect(
      document.groups.find(g => g.name === 'authentication.k8s.io'),
    ).toEqual({
      name: 'authentication.k8s.io',
      versions: [
        { groupVersion: 'authentication.k8s.io/v1', version: 'v1' },
        { groupVersion: 'authentication.k8s.io/v1beta1', version: 'v1beta1' },
      ],
      preferredVersion: {
        groupVersion: 'authentication.k8s.io/v1',
        version: 'v1',
      },
    });
    expect(document.groups.find(g => g.name === 'wgpolicyk8s.io')).toEqual({
      name: 'wgpolicyk8s.io',
      versions: [
        { groupVersion: 'wgpolicyk8s.io/v1beta1', version: 'v1beta1' },
        { groupVersion: 'wgpolicyk8s.io/v1alpha2', version: 'v1alpha2' },
      ],
      preferredVersion: {
        groupVersion: 'wgpolicyk8s.io/v1beta1',
        version: 'v1beta1',
      },
    });
    expect(document.groups.map(g => g.name)).not.toContain('');
  });

  it('describes core resources, with subresources, at /api/v1', () => {
    const document = apiResourceListDocument(apis, '', 'v1');
    expect(document).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'v1',
    });
    expect(document).not.toHaveProperty('apiVersion');
    const pods = document?.resources.find(r => r.name === 'pods');
    expect(pods).toEqual({
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: [
        'create',
        'delete',
        'deletecollection',
        'get',
        'list',
        'patch',
        'update',
        'watch',
      ],
      shortNames: ['po'],
      categories: ['all'],
    });
    expect(document?.resources.find(r => r.name === 'pods/log')).toEqual({
      name: 'pods/log',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get'],
    });
    expect(
      document?.resources.find(r => r.name === 'pods/eviction'),
    ).toMatchObject({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
    });
    const names = document?.resources.map(r => r.name) ?? [];
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        'namespaces',
        'nodes',
        'serviceaccounts',
        'secrets',
        'persistentvolumeclaims',
        'persistentvolumes',
        'configmaps',
        'services',
      ]),
    );
  });

  it('describes group resources, including custom ones', () => {
    expect(apiResourceListDocument(apis, 'apps', 'v1')).toMatchObject({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'apps/v1',
    });
    expect(
      apiResourceListDocument(
        apis,
        'authorization.k8s.io',
        'v1',
      )?.resources.find(r => r.name === 'selfsubjectaccessreviews'),
    ).toEqual({
      name: 'selfsubjectaccessreviews',
      singularName: 'selfsubjectaccessreview',
      namespaced: false,
      kind: 'SelfSubjectAccessReview',
      verbs: ['create'],
    });
    const custom = apiResourceListDocument(apis, 'wgpolicyk8s.io', 'v1alpha2');
    expect(custom?.resources.map(r => r.name)).toEqual([
      'policyreports',
      'policyreports/status',
    ]);
    expect(custom?.resources[0]).toMatchObject({
      singularName: 'policyreport',
      namespaced: true,
      kind: 'PolicyReport',
      shortNames: ['polr'],
    });
    expect(
      apiResourceListDocument(apis, 'wgpolicyk8s.io', 'v1alpha1'),
    ).toBeUndefined();
  });
});

describe('versions', () => {
  it('derives /version from a gitVersion', () => {
    expect(resolveVersionInfo('v1.26.3')).toMatchObject({
      major: '1',
      minor: '26',
      gitVersion: 'v1.26.3',
      gitTreeState: 'clean',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
    expect(resolveVersionInfo('v1.26.3').gitCommit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('keeps explicit fields of managed clusters', () => {
    const info = resolveVersionInfo({
      gitVersion: 'v1.27.8-eks-1234',
      minor: '27+',
    });
    expect(info).toMatchObject({
      major: '1',
      minor: '27+',
      gitVersion: 'v1.27.8-eks-1234',
    });
    expect(minorVersionOf(info)).toBe(27);
  });

  it('rejects malformed versions', () => {
    expect(() => resolveVersionInfo('1.30')).toThrow(
      'Invalid Kubernetes gitVersion',
    );
  });

  it('orders versions kube-aware', () => {
    expect(
      ['v1alpha1', 'v2beta1', 'foo', 'v1', 'v1beta2', 'v2'].sort(
        compareKubeAwareVersions,
      ),
    ).toEqual(['v2', 'v1', 'v2beta1', 'v1beta2', 'v1alpha1', 'foo']);
  });
});
