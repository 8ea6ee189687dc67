import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import { ClusterAuth, defaultAuthStrategies } from './clusterAuth';

const cluster = (
  authProvider: string,
  extra: Partial<KubernetesSecurityCluster> = {},
): KubernetesSecurityCluster => ({
  name: 'c',
  url: 'https://k8s.example.com',
  authProvider,
  ...extra,
});

const strategies = () =>
  defaultAuthStrategies({
    config: new ConfigReader({}),
    logger: mockServices.logger.mock(),
  });

describe('ClusterAuth', () => {
  const auth = new ClusterAuth(strategies(), false);

  it.each([
    ['serviceAccount', { serviceAccountToken: 't' }],
    ['aws', { authMetadata: { 'kubernetes.io/aws-assume-role': 'arn' } }],
    ['azure', {}],
    ['googleServiceAccount', {}],
    ['localKubectlProxy', {}],
  ])('accepts %s for scheduled scans', (provider, extra) => {
    expect(auth.problems(cluster(provider, extra))).toEqual([]);
  });

  it.each(['google', 'oidc', 'aks'])(
    'rejects %s, which needs the signed-in user',
    provider => {
      expect(auth.problems(cluster(provider))).toEqual([
        `authProvider "${provider}" uses the signed-in user's token, which scheduled scans do not have; use serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy`,
      ]);
    },
  );

  it('rejects an unknown provider', () => {
    expect(auth.problems(cluster('magic'))).toEqual([
      'authProvider "magic" is not known; use serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy',
    ]);
  });

  it('needs a token for serviceAccount unless Backstage runs in a Pod', () => {
    expect(auth.problems(cluster('serviceAccount'))).toEqual([
      'authProvider serviceAccount needs serviceAccountToken (or Backstage running in a Pod with a mounted ServiceAccount token)',
    ]);
    const inPod = new ClusterAuth(strategies(), true);
    expect(inPod.problems(cluster('serviceAccount'))).toEqual([]);
    // The Pod's token is verified with the Pod's CA.
    expect(inPod.withCredentials(cluster('serviceAccount')).caFile).toBe(
      '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    );
  });

  it('gets credentials from the official strategies', async () => {
    await expect(
      auth.withCredentials(
        cluster('serviceAccount', { serviceAccountToken: 't' }),
      ).getCredential!(),
    ).resolves.toEqual({ type: 'bearer token', token: 't' });
    await expect(
      auth.withCredentials(cluster('localKubectlProxy')).getCredential!(),
    ).resolves.toEqual({ type: 'anonymous' });
  });

  it('refuses an anonymous credential for anything but a kubectl proxy', async () => {
    const anonymous = {
      getCredential: async () => ({ type: 'anonymous' as const }),
      validateCluster: () => [],
      presentAuthMetadata: () => ({}),
    };
    const custom = new ClusterAuth({ vault: anonymous }, false);
    await expect(
      custom.withCredentials(cluster('vault')).getCredential!(),
    ).rejects.toThrow(
      'authProvider vault returned no bearer token or client certificate',
    );
  });

  it("reports the strategy's own validation errors", () => {
    const picky = {
      getCredential: async () => ({ type: 'anonymous' as const }),
      validateCluster: (metadata: Record<string, string>) =>
        metadata['kubernetes.io/role'] ? [] : [new Error('needs a role')],
      presentAuthMetadata: () => ({}),
    };
    const custom = new ClusterAuth({ picky }, false);
    expect(custom.problems(cluster('picky'))).toEqual(['needs a role']);
    expect(
      custom.problems(
        cluster('picky', { authMetadata: { 'kubernetes.io/role': 'r' } }),
      ),
    ).toEqual([]);
  });
});
