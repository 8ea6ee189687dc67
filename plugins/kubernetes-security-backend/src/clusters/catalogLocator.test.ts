import type { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import {
  CatalogClusterLocator,
  CatalogLocatorOptions,
  readCatalogLocatorOptions,
} from './catalogLocator';
import { CA_DATA } from './__testUtils__/tls';

const resource = (
  name: string,
  annotations: Record<string, string>,
  spec: JsonObject = { type: 'kubernetes-cluster', owner: 'team' },
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    title: `${name} cluster`,
    annotations,
  },
  spec,
});

const cluster = (name: string, extra: Record<string, string> = {}) =>
  resource(name, {
    'kubernetes.io/api-server': `https://${name}.k8s.example.com`,
    'kubernetes.io/api-server-certificate-authority': CA_DATA,
    'kubernetes.io/auth-provider': 'aws',
    ...extra,
  });

// Public addresses for every name, except the ones these tests make private.
const lookup = async (host: string) =>
  host === 'internal.example.com'
    ? [{ address: '93.184.216.34' }, { address: '10.1.2.3' }]
    : [{ address: '93.184.216.34' }];

// What an operator who trusts these test Resources would allow.
const ALLOWED: CatalogLocatorOptions = {
  allowedAuthProviders: ['aws', 'localKubectlProxy'],
  allowedAssumeRoles: ['arn:aws:iam::1:role/*'],
  allowedClusterUrls: [
    'https://*.example.com',
    'http://127.0.0.1:8080',
    'https://10.0.0.1',
  ],
};

const locate = (entities: Entity[], options: CatalogLocatorOptions = {}) =>
  new CatalogClusterLocator(
    {
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      lookup,
    },
    { ...ALLOWED, ...options },
  ).locate();

describe('CatalogClusterLocator', () => {
  it('reads kubernetes-cluster Resources with their kubernetes.io annotations', async () => {
    const located = await locate([
      cluster('eks-1', {
        'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/r',
        'kubernetes.io/skip-metrics-lookup': 'true',
        'kubernetes.io/dashboard-url': 'https://dash',
        'backstage.io/managed-by-location': 'url:https://x',
      }),
    ]);
    expect(located).toEqual({
      problems: [],
      clusters: [
        {
          name: 'eks-1',
          title: 'eks-1 cluster',
          url: 'https://eks-1.k8s.example.com',
          authProvider: 'aws',
          caData: CA_DATA,
          skipTLSVerify: false,
          source: 'catalog',
          entityRef: 'resource:default/eks-1',
          refuseAddress: expect.any(Function),
          authMetadata: {
            'kubernetes.io/api-server': 'https://eks-1.k8s.example.com',
            'kubernetes.io/api-server-certificate-authority': CA_DATA,
            'kubernetes.io/auth-provider': 'aws',
            'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/r',
            'kubernetes.io/skip-metrics-lookup': 'true',
            'kubernetes.io/dashboard-url': 'https://dash',
          },
        },
      ],
    });
  });

  it('ignores entities that are not kubernetes-cluster Resources or lack an annotation', async () => {
    const noCa = {
      'kubernetes.io/api-server': 'https://a.example.com',
      'kubernetes.io/auth-provider': 'aws',
    };
    const located = await locate([
      cluster('ok'),
      resource('database', cluster('x').metadata.annotations!, {
        type: 'database',
      }),
      resource('no-ca', noCa),
      { ...cluster('component'), kind: 'Component' },
    ]);
    expect(located.clusters.map(c => c.name)).toEqual(['ok']);
  });

  it('refuses serviceAccount auth, as the official locator', async () => {
    const located = await locate([
      cluster('sa', {
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: 'stolen',
      }),
    ]);
    expect(located.clusters).toEqual([]);
    expect(located.problems).toEqual([
      {
        cluster: 'sa',
        locator: 'catalog',
        entityRef: 'resource:default/sa',
        message: expect.stringContaining(
          'serviceAccount is not accepted on catalog clusters',
        ),
      },
    ]);
  });

  it.each([
    ['http://plain.example.com', 'http is only accepted on loopback'],
    [
      'http://127.0.0.1:8080',
      'list the host in dangerouslyAllowClusterUrls to allow http',
    ],
    ['https://169.254.169.254', 'non-public address'],
    ['https://10.0.0.1:6443', 'non-public address'],
    ['https://[::1]:6443', 'non-public address'],
    ['https://[::ffff:127.0.0.1]', 'non-public address'],
    [
      'https://internal.example.com',
      'resolves to the non-public address 10.1.2.3',
    ],
    ['https://user:pw@k8s.example.com', 'must not embed credentials'],
    ['not a url', 'is not a valid URL'],
  ])('rejects the API server %s (SSRF)', async (url, message) => {
    const located = await locate([
      cluster('c', { 'kubernetes.io/api-server': url }),
    ]);
    expect(located.clusters).toEqual([]);
    expect(located.problems[0].message).toContain(message);
  });

  it('accepts hosts the operator allowed with dangerouslyAllowClusterUrls', async () => {
    const located = await locate(
      [
        cluster('local', {
          'kubernetes.io/api-server': 'http://127.0.0.1:8080',
        }),
        cluster('corp', {
          'kubernetes.io/api-server': 'https://internal.example.com',
        }),
        cluster('other', { 'kubernetes.io/api-server': 'https://10.0.0.1' }),
      ],
      { dangerouslyAllowClusterUrls: ['127.0.0.1', '*.example.com'] },
    );
    expect(located.clusters.map(c => [c.name, c.url, c.caData])).toEqual([
      ['corp', 'https://internal.example.com', CA_DATA],
      // No TLS on plain http: the CA annotation is not used.
      ['local', 'http://127.0.0.1:8080', undefined],
    ]);
    // Allowed hosts are trusted at any address, now and at connection time.
    expect(located.clusters.every(c => !c.refuseAddress)).toBe(true);
    expect(located.problems.map(p => p.cluster)).toEqual(['other']);
  });

  it('skips TLS verification only when the locator allows it', async () => {
    const entity = cluster('insecure', {
      'kubernetes.io/skip-tls-verify': 'true',
    });
    const denied = await locate([entity]);
    expect(denied.clusters[0].skipTLSVerify).toBe(false);
    expect(denied.problems[0].message).toContain(
      'kubernetes.io/skip-tls-verify is ignored',
    );
    const allowed = await locate([entity], {
      dangerouslyAllowSkipTLSVerify: true,
    });
    expect(allowed.clusters[0].skipTLSVerify).toBe(true);
    expect(allowed.problems).toEqual([]);
  });

  it('reports a CA annotation that is not a base64 PEM bundle', async () => {
    const located = await locate([
      cluster('bad-ca', {
        'kubernetes.io/api-server-certificate-authority': 'LS0tLS1CRUdJTg==',
      }),
    ]);
    expect(located.clusters).toEqual([]);
    expect(located.problems[0].message).toBe(
      'kubernetes.io/api-server-certificate-authority decodes to a bundle that contains no PEM certificate (-----BEGIN CERTIFICATE-----)',
    );
  });

  describe("the backend's credentials go only where the operator allows", () => {
    const problemOf = async (
      entity: Entity,
      options: CatalogLocatorOptions = {},
    ) => {
      const located = await locate([entity], options);
      expect(located.clusters).toEqual([]);
      return located.problems.map(p => p.message).join('\n');
    };

    it('refuses auth providers that are not allowed, none by default', async () => {
      const entity = cluster('eks', { 'kubernetes.io/auth-provider': 'aws' });
      expect(await problemOf(entity, { allowedAuthProviders: undefined })).toBe(
        'kubernetes.io/auth-provider "aws" is not in allowedAuthProviders of the catalog locator (none are set): catalog clusters only get the auth providers the operator allows',
      );
      for (const provider of ['azure', 'googleServiceAccount']) {
        expect(
          await problemOf(
            cluster('c', { 'kubernetes.io/auth-provider': provider }),
          ),
        ).toContain(`"${provider}" is not in allowedAuthProviders`);
      }
    });

    it('refuses an assumed role that no pattern allows', async () => {
      const chosen = cluster('eks', {
        'kubernetes.io/aws-assume-role': 'arn:aws:iam::999:role/admin',
      });
      expect(await problemOf(chosen)).toContain(
        'kubernetes.io/aws-assume-role "arn:aws:iam::999:role/admin" matches no allowedAssumeRoles pattern',
      );
      expect(
        await problemOf(chosen, { allowedAssumeRoles: undefined }),
      ).toContain('matches no allowedAssumeRoles pattern');
      // The pattern's dots are literal, `*` is any text.
      expect(
        await problemOf(
          cluster('eks', {
            'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/x',
          }),
          { allowedAssumeRoles: ['arn:aws:iam::1.role/*'] },
        ),
      ).toContain('matches no allowedAssumeRoles pattern');
    });

    it('refuses a public URL that matches no allowedClusterUrls pattern', async () => {
      const attacker = cluster('eks', {
        'kubernetes.io/api-server': 'https://collector.attacker.net',
      });
      expect(await problemOf(attacker)).toContain(
        'kubernetes.io/api-server "https://collector.attacker.net" matches no allowedClusterUrls pattern of the catalog locator (https://*.example.com, http://127.0.0.1:8080, https://10.0.0.1)',
      );
      expect(
        await problemOf(cluster('eks'), { allowedClusterUrls: undefined }),
      ).toContain(
        'matches no allowedClusterUrls pattern of the catalog locator (none are set)',
      );
      // Another port is another URL.
      expect(
        await problemOf(
          cluster('eks', {
            'kubernetes.io/api-server': 'https://eks.example.com:8443',
          }),
        ),
      ).toContain('matches no allowedClusterUrls pattern');
    });

    it('re-checks the address at connection time unless the host is trusted', async () => {
      const located = await locate([cluster('eks')]);
      const { refuseAddress } = located.clusters[0];
      expect(refuseAddress?.('93.184.216.34')).toBeUndefined();
      for (const address of ['10.0.0.1', '169.254.169.254', '::1']) {
        expect(refuseAddress?.(address)).toContain('non-public address');
      }
    });

    it('scans at most maxClusters, the same ones at every refresh', async () => {
      const entities = ['d', 'b', 'a', 'c'].map(name => cluster(name));
      const located = await locate(entities, { maxClusters: 2 });
      expect(located.clusters.map(c => c.name)).toEqual(['a', 'b']);
      expect(located.problems.map(p => [p.cluster, p.message])).toEqual([
        ['c', "not scanned: the catalog locator's maxClusters (2) is reached"],
        ['d', "not scanned: the catalog locator's maxClusters (2) is reached"],
      ]);
      const byDefault = await locate(
        Array.from({ length: 25 }, (_, i) => cluster(`c${i}`)),
      );
      expect(byDefault.clusters).toHaveLength(20);
    });
  });

  it('reads its options from config and refuses unreadable URL patterns', () => {
    const method = new ConfigReader({
      type: 'catalog',
      allowedClusterUrls: ['https://*.eks.amazonaws.com'],
      allowedAuthProviders: ['aws'],
      allowedAssumeRoles: ['arn:aws:iam::1:role/backstage-*'],
      maxClusters: 5,
    });
    expect(readCatalogLocatorOptions(method)).toMatchObject({
      allowedClusterUrls: ['https://*.eks.amazonaws.com'],
      allowedAuthProviders: ['aws'],
      allowedAssumeRoles: ['arn:aws:iam::1:role/backstage-*'],
      maxClusters: 5,
    });
    expect(() =>
      readCatalogLocatorOptions(
        new ConfigReader({ type: 'catalog', allowedClusterUrls: ['*'] }),
      ),
    ).toThrow('"*" is not a cluster URL pattern');
    expect(() =>
      readCatalogLocatorOptions(
        new ConfigReader({ type: 'catalog', maxClusters: -1 }),
      ),
    ).toThrow('maxClusters must be a whole number');
  });

  it('asks the catalog with its own service credentials', async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: async () => ({ items: [] }),
    });
    await new CatalogClusterLocator(
      { catalog, auth: mockServices.auth(), lookup },
      ALLOWED,
    ).locate();
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: expect.objectContaining({
          kind: 'Resource',
          'spec.type': 'kubernetes-cluster',
        }),
      }),
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
  });
});
