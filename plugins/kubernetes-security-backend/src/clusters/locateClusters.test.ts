import { ConfigReader } from '@backstage/config';
import { locateClustersFromConfig } from './locateClusters';

const config = (clusters: object[], extraMethods: object[] = []) =>
  new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [{ type: 'config', clusters }, ...extraMethods],
    },
  });

describe('locateClustersFromConfig', () => {
  it('reads config clusters like the official plugin', () => {
    const { clusters, problems } = locateClustersFromConfig(
      config([
        {
          name: 'prod',
          url: 'https://k8s.example.com:6443/',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'token',
          caData: 'Q0E=',
        },
      ]),
    );
    expect(problems).toEqual([]);
    expect(clusters).toEqual([
      {
        name: 'prod',
        title: undefined,
        url: 'https://k8s.example.com:6443',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'token',
        skipTLSVerify: false,
        caData: 'Q0E=',
      },
    ]);
  });

  it('reports each bad cluster precisely and keeps the good ones', () => {
    const { clusters, problems } = locateClustersFromConfig(
      config(
        [
          {
            name: 'ok',
            url: 'https://a',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
          },
          {
            name: 'bad-url',
            url: 'ftp://a',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
          },
          {
            name: 'no-token',
            url: 'https://b',
            authProvider: 'serviceAccount',
          },
          { name: 'user-auth', url: 'https://c', authProvider: 'google' },
          {
            name: 'ok',
            url: 'https://d',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
          },
        ],
        [{ type: 'gke' }],
      ),
    );
    expect(clusters.map(c => c.name)).toEqual(['ok']);
    expect(problems).toEqual([
      {
        cluster: 'bad-url',
        message: expect.stringContaining('must use https'),
      },
      {
        cluster: 'no-token',
        message: 'authProvider serviceAccount needs serviceAccountToken',
      },
      {
        cluster: 'user-auth',
        message: expect.stringContaining("signed-in user's token"),
      },
      {
        cluster: 'ok',
        message: 'Duplicate cluster name; only the first is scanned',
      },
      { message: 'Cluster locator method "gke" is not supported yet' },
    ]);
  });

  it('is empty without kubernetes config', () => {
    expect(locateClustersFromConfig(new ConfigReader({}))).toEqual({
      clusters: [],
      problems: [],
    });
  });
});
