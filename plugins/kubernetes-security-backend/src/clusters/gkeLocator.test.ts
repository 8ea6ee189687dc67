import { ConfigReader } from '@backstage/config';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GkeClusterLocator, readGkeLocatorOptions } from './gkeLocator';
import { CA_DATA } from './__testUtils__/tls';

/** A local stand-in for container.googleapis.com's clusters.list. */
function startFakeContainerApi(
  answer: (request: IncomingMessage) => { status: number; body: unknown },
): Promise<{ url: string; requests: IncomingMessage[]; server: Server }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    const { status, body } = answer(request);
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        server,
      }),
    ),
  );
}

const gkeCluster = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  endpoint: `34.1.2.${name.length}`,
  status: 'RUNNING',
  masterAuth: { clusterCaCertificate: CA_DATA },
  resourceLabels: { env: 'prod' },
  controlPlaneEndpointsConfig: {
    dnsEndpointConfig: { endpoint: `gke-${name}.example.goog` },
  },
  ...extra,
});

const locator = (apiBase: string, method: Record<string, unknown> = {}) =>
  new GkeClusterLocator(
    readGkeLocatorOptions(
      new ConfigReader({ type: 'gke', projectId: 'my-project', ...method }),
    ),
    { apiBase, getAccessToken: async () => 'ya29.token' },
  );

describe('GkeClusterLocator', () => {
  let fake: Awaited<ReturnType<typeof startFakeContainerApi>>;
  let answer: { status: number; body: unknown };
  beforeAll(async () => {
    fake = await startFakeContainerApi(() => answer);
  });
  afterAll(() => new Promise(resolve => fake.server.close(resolve)));
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('lists the clusters of every location with the access token', async () => {
    answer = {
      status: 200,
      body: { clusters: [gkeCluster('alpha'), gkeCluster('beta')] },
    };
    const located = await locator(fake.url, {
      authProvider: 'googleServiceAccount',
    }).locate();
    expect(fake.requests[0].url).toBe(
      '/v1/projects/my-project/locations/-/clusters',
    );
    expect(fake.requests[0].headers.authorization).toBe('Bearer ya29.token');
    expect(located).toEqual({
      problems: [],
      clusters: [
        {
          name: 'alpha',
          url: 'https://34.1.2.5',
          authProvider: 'googleServiceAccount',
          skipTLSVerify: false,
          // The IP endpoint's certificate comes from the cluster CA.
          caData: CA_DATA,
          source: 'gke',
        },
        expect.objectContaining({ name: 'beta', url: 'https://34.1.2.4' }),
      ],
    });
  });

  it('uses the DNS endpoint, region, labels and skipTLSVerify from config', async () => {
    answer = {
      status: 200,
      body: {
        clusters: [
          gkeCluster('alpha'),
          gkeCluster('dev', { resourceLabels: { env: 'dev' } }),
          gkeCluster('unlabelled', { resourceLabels: undefined }),
        ],
      },
    };
    const located = await locator(fake.url, {
      region: 'europe-west1',
      endpointType: 'dns',
      skipTLSVerify: true,
      matchingResourceLabels: [{ key: 'env', value: 'prod' }],
    }).locate();
    expect(fake.requests[0].url).toBe(
      '/v1/projects/my-project/locations/europe-west1/clusters',
    );
    expect(located.clusters).toEqual([
      {
        name: 'alpha',
        url: 'https://gke-alpha.example.goog',
        // The official default: the user's Google token.
        authProvider: 'google',
        skipTLSVerify: true,
        source: 'gke',
      },
    ]);
  });

  it('reports clusters without an endpoint and zones GKE could not list', async () => {
    answer = {
      status: 200,
      body: {
        clusters: [
          gkeCluster('new', { endpoint: undefined, status: 'PROVISIONING' }),
          gkeCluster('ok'),
        ],
        missingZones: ['us-east1-b'],
      },
    };
    const located = await locator(fake.url).locate();
    expect(located.clusters.map(c => c.name)).toEqual(['ok']);
    expect(located.problems).toEqual([
      {
        cluster: 'new',
        locator: 'gke',
        message:
          'GKE lists the cluster without an endpoint (status PROVISIONING)',
      },
      {
        locator: 'gke',
        message:
          'GKE could not list clusters in us-east1-b; clusters there are missing until it can',
      },
    ]);
  });

  it('fails with the API error on 403', async () => {
    answer = {
      status: 403,
      body: {
        error: {
          code: 403,
          message: 'Required "container.clusters.list" permission(s)',
          status: 'PERMISSION_DENIED',
        },
      },
    };
    await expect(locator(fake.url).locate()).rejects.toThrow(
      'GKE answered HTTP 403 listing clusters of projects/my-project/locations/-: Required "container.clusters.list" permission(s)',
    );
  });

  it('fails on an invalid body and on redirects', async () => {
    answer = { status: 200, body: '<html>' };
    await expect(locator(fake.url).locate()).rejects.toThrow('invalid JSON');
    answer = { status: 302, body: {} };
    await expect(locator(fake.url).locate()).rejects.toThrow('HTTP 302');
  });

  it('fails when no token can be had', async () => {
    const noToken = new GkeClusterLocator(
      readGkeLocatorOptions(new ConfigReader({ type: 'gke', projectId: 'p' })),
      {
        apiBase: fake.url,
        getAccessToken: async () => {
          throw new Error('Could not load the default credentials');
        },
      },
    );
    await expect(noToken.locate()).rejects.toThrow(
      'Could not load the default credentials',
    );
    expect(fake.requests).toEqual([]);
  });

  it('rejects an unknown endpointType and a missing projectId', () => {
    expect(() =>
      readGkeLocatorOptions(
        new ConfigReader({ projectId: 'p', endpointType: 'private' }),
      ),
    ).toThrow('Invalid endpointType "private"; use public or dns');
    expect(() => readGkeLocatorOptions(new ConfigReader({}))).toThrow(
      "Missing required config value at 'projectId'",
    );
  });
});
