import type { JsonValue } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { readConfigClusters } from './configLocator';
import { CA_DATA, CA_PEM } from './__testUtils__/tls';

const method = (clusters: JsonValue[]) =>
  new ConfigReader({ type: 'config', clusters });
const base = {
  name: 'prod',
  url: 'https://k8s.example.com:6443/',
  authProvider: 'serviceAccount',
  serviceAccountToken: 'token',
};

describe('readConfigClusters', () => {
  it('reads a cluster like the official plugin', () => {
    const { clusters, problems } = readConfigClusters(
      method([{ ...base, title: 'Production', caData: CA_DATA }]),
    );
    expect(problems).toEqual([]);
    expect(clusters).toEqual([
      {
        name: 'prod',
        title: 'Production',
        url: 'https://k8s.example.com:6443',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'token',
        skipTLSVerify: false,
        caData: CA_DATA,
        source: 'config',
      },
    ]);
  });

  it('keeps skipTLSVerify only when configured', () => {
    const [cluster] = readConfigClusters(
      method([{ ...base, skipTLSVerify: true }]),
    ).clusters;
    expect(cluster.skipTLSVerify).toBe(true);
  });

  it('carries the auth metadata of aws, oidc and authMetadata blocks', () => {
    const { clusters } = readConfigClusters(
      method([
        {
          name: 'eks',
          url: 'https://eks.example.com',
          authProvider: 'aws',
          assumeRole: 'arn:aws:iam::123:role/reader',
          externalId: 'ext',
        },
        {
          name: 'meta',
          url: 'https://meta.example.com',
          authProvider: 'serviceAccount',
          // The block wins over authProvider, as in the official plugin.
          authMetadata: {
            'kubernetes.io/auth-provider': 'azure',
            'kubernetes.io/x-k8s-aws-id': 'x',
          },
        },
        {
          name: 'oidc',
          url: 'https://oidc.example.com',
          authProvider: 'oidc',
          oidcTokenProvider: 'okta',
        },
      ]),
    );
    expect(clusters.map(c => [c.name, c.authProvider, c.authMetadata])).toEqual(
      [
        [
          'eks',
          'aws',
          {
            'kubernetes.io/aws-assume-role': 'arn:aws:iam::123:role/reader',
            'kubernetes.io/aws-external-id': 'ext',
          },
        ],
        [
          'meta',
          'azure',
          {
            'kubernetes.io/auth-provider': 'azure',
            'kubernetes.io/x-k8s-aws-id': 'x',
          },
        ],
        ['oidc', 'oidc', { 'kubernetes.io/oidc-token-provider': 'okta' }],
      ],
    );
  });

  it('reports each bad cluster precisely and keeps the good ones', () => {
    const { clusters, problems } = readConfigClusters(
      method([
        base,
        { ...base, name: 'bad-url', url: 'ftp://a' },
        { ...base, name: 'not-a-url', url: 'k8s.example.com' },
        { ...base, name: 'no-provider', authProvider: undefined },
        { ...base, name: 'bad-ca', caData: 'not base64!' },
        {
          ...base,
          name: 'ca-not-pem',
          caData: Buffer.from('hello').toString('base64'),
        },
        { ...base, name: 'missing-ca-file', caFile: '/nonexistent/ca.pem' },
        { ...base, name: 'bad-type', skipTLSVerify: 'sometimes' },
        { url: 'https://x' },
        { ...base, url: 'https://d' },
      ]),
      {
        readFile: () => {
          const error = Object.assign(new Error('no such file'), {
            code: 'ENOENT',
          });
          throw error;
        },
      },
    );
    expect(clusters.map(c => c.name)).toEqual(['prod']);
    expect(problems).toEqual([
      {
        cluster: 'bad-url',
        locator: 'config',
        message: expect.stringContaining('must use https'),
      },
      {
        cluster: 'not-a-url',
        locator: 'config',
        message: 'Invalid url: "k8s.example.com" is not a valid URL',
      },
      {
        cluster: 'no-provider',
        locator: 'config',
        message:
          'has no auth provider; set authProvider (or authMetadata.kubernetes.io/auth-provider)',
      },
      {
        cluster: 'bad-ca',
        locator: 'config',
        message: expect.stringMatching(/^caData is not base64/),
      },
      {
        cluster: 'ca-not-pem',
        locator: 'config',
        message:
          'caData decodes to a bundle that contains no PEM certificate (-----BEGIN CERTIFICATE-----)',
      },
      {
        cluster: 'missing-ca-file',
        locator: 'config',
        message: 'caFile /nonexistent/ca.pem cannot be read: ENOENT',
      },
      {
        cluster: 'bad-type',
        locator: 'config',
        message: expect.stringContaining('skipTLSVerify'),
      },
      { cluster: 'clusters[8]', locator: 'config', message: 'has no name' },
      {
        cluster: 'prod',
        locator: 'config',
        message: 'Duplicate cluster name; only the first is scanned',
      },
    ]);
  });

  it('reads and checks caFile', () => {
    const read = (file: string) =>
      readConfigClusters(method([{ ...base, caFile: file }]), {
        readFile: path => (path === '/ca.pem' ? CA_PEM : 'garbage'),
      });
    expect(read('/ca.pem').clusters[0].caFile).toBe('/ca.pem');
    expect(read('/other.pem').problems[0].message).toBe(
      'caFile /other.pem contains no PEM certificate (-----BEGIN CERTIFICATE-----)',
    );
  });
});
