import type {
  ServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EntityReport } from '@internal/plugin-kubernetes-security-common';
import {
  loadManifests,
  SimulatedCluster,
  startSimulatedCluster,
} from '@internal/simulated-cluster';
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';
import { EXAMPLES, READ_ALL, READER } from './__testUtils__/demo';
import { kubernetesSecurityPlugin } from './plugin';

jest.setTimeout(60_000);

/**
 * What `kubectl proxy` does: listens on loopback and forwards every request
 * with its own credentials. Clusters behind it use the localKubectlProxy auth
 * provider, which sends no credential.
 */
async function startKubectlProxy(target: string, token: string) {
  const server: Server = createServer((incoming, outgoing) => {
    const upstream = httpRequest(
      `${target}${incoming.url}`,
      {
        method: incoming.method,
        headers: { ...incoming.headers, authorization: `Bearer ${token}` },
      },
      response => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise(done => server.close(done)),
  };
}

const clusterResource = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'kubernetes-cluster', owner: 'platform' },
});

const component = (name: string, dependsOn: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', owner: 'platform', lifecycle: 'production' },
  relations: dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef })),
});

describe('clusters located in the catalog', () => {
  let edge: SimulatedCluster;
  let prod: SimulatedCluster;
  let proxy: Awaited<ReturnType<typeof startKubectlProxy>>;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stopBackend: () => Promise<void>;
  let entities: Entity[];
  // The mock scheduler runs tasks only at start-up or when triggered.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
  };

  beforeAll(async () => {
    [edge, prod] = await Promise.all([
      loadManifests(resolve(EXAMPLES, 'clusters/edge')).then(objects =>
        startSimulatedCluster({
          name: 'edge',
          version: 'v1.31.0',
          objects,
          tokens: [{ token: 'proxy', username: READER, rules: [READ_ALL] }],
        }),
      ),
      loadManifests(resolve(EXAMPLES, 'clusters/prod')).then(objects =>
        startSimulatedCluster({
          name: 'prod',
          objects,
          tokens: [{ token: 'reader', username: READER, rules: [READ_ALL] }],
        }),
      ),
    ]);
    proxy = await startKubectlProxy(edge.url, 'proxy');
    entities = [
      clusterResource('edge', {
        'kubernetes.io/api-server': proxy.url,
        // Required by the catalog locator; plain http has no TLS to verify.
        'kubernetes.io/api-server-certificate-authority': '',
        'kubernetes.io/auth-provider': 'localKubectlProxy',
      }),
      clusterResource('stolen-token', {
        'kubernetes.io/api-server': 'https://k8s.example.com',
        'kubernetes.io/api-server-certificate-authority': '',
        'kubernetes.io/auth-provider': 'serviceAccount',
      }),
      clusterResource('metadata', {
        'kubernetes.io/api-server': 'https://169.254.169.254',
        'kubernetes.io/api-server-certificate-authority': '',
        'kubernetes.io/auth-provider': 'localKubectlProxy',
      }),
      // Would receive the backend's own cloud token.
      clusterResource('cloud-token', {
        'kubernetes.io/api-server': 'https://collector.attacker.example',
        'kubernetes.io/api-server-certificate-authority': '',
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/admin',
      }),
      clusterResource('elsewhere', {
        'kubernetes.io/api-server': 'http://127.0.0.1:1',
        'kubernetes.io/api-server-certificate-authority': '',
        'kubernetes.io/auth-provider': 'localKubectlProxy',
      }),
      component('edge-gateway', ['resource:default/edge']),
      component('payments-api', ['resource:default/prod']),
    ];
    // Reads the current `entities`, so the test can add and remove Resources.
    const catalog = catalogServiceMock.mock({
      getEntities: (req, opts) =>
        catalogServiceMock({ entities }).getEntities(req, opts),
      getEntityByRef: (ref, opts) =>
        catalogServiceMock({ entities }).getEntityByRef(ref, opts),
      getEntitiesByRefs: (req, opts) =>
        catalogServiceMock({ entities }).getEntitiesByRefs(req, opts),
    });

    const backend = await startTestBackend({
      features: [
        kubernetesSecurityPlugin,
        catalog.factory,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'catalogRelation' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'prod',
                      url: prod.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'reader',
                    },
                  ],
                },
                {
                  type: 'catalog',
                  dangerouslyAllowClusterUrls: ['127.0.0.1'],
                  allowedClusterUrls: [proxy.url],
                  allowedAuthProviders: ['localKubectlProxy'],
                },
                { type: 'magic' },
              ],
            },
            kubernetesSecurity: {
              schedule: { frequency: { minutes: 30 }, timeout: { minutes: 1 } },
              removedClusterRetention: { seconds: 0 },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await proxy?.stop();
    await Promise.all([edge?.stop(), prod?.stop()]);
  });

  const clusters = async () =>
    (
      await request(server)
        .get('/api/kubernetes-security/v1/clusters')
        .set('Authorization', mockCredentials.user.header())
    ).body as {
      items: { name: string; lastScan?: { succeededAt?: string } }[];
      problems: { cluster?: string; entityRef?: string; message: string }[];
    };

  const waitFor = async <T>(
    what: string,
    probe: () => Promise<T | undefined>,
  ) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${what}`);
      await new Promise(r => setTimeout(r, 100));
    }
  };

  it('lists the catalog cluster next to the config one, and every problem', async () => {
    const body = await clusters();
    expect(body.items.map(c => c.name)).toEqual(['prod', 'edge']);
    expect(body.problems).toEqual([
      {
        locator: 'magic',
        message:
          'Cluster locator method #3 "magic" is not supported; use config, catalog, gke, localKubectlProxy',
      },
      {
        cluster: 'cloud-token',
        locator: 'catalog',
        entityRef: 'resource:default/cloud-token',
        message: expect.stringContaining(
          'kubernetes.io/auth-provider "aws" is not in allowedAuthProviders',
        ),
      },
      {
        cluster: 'elsewhere',
        locator: 'catalog',
        entityRef: 'resource:default/elsewhere',
        message: expect.stringContaining(
          'matches no allowedClusterUrls pattern',
        ),
      },
      {
        cluster: 'metadata',
        locator: 'catalog',
        entityRef: 'resource:default/metadata',
        message: expect.stringContaining('non-public address'),
      },
      {
        cluster: 'stolen-token',
        locator: 'catalog',
        entityRef: 'resource:default/stolen-token',
        message: expect.stringContaining(
          'serviceAccount is not accepted on catalog clusters',
        ),
      },
    ]);
  });

  it('scans the catalog cluster through its kubectl proxy on "Scan now"', async () => {
    await request(server)
      .post('/api/kubernetes-security/v1/scans')
      .set('Authorization', mockCredentials.user.header())
      .send({ clusters: ['edge'] })
      .expect(202, { started: ['edge'] });
    const scan = await waitFor('the edge scan', async () =>
      (await clusters()).items.find(c => c.name === 'edge' && c.lastScan),
    );
    expect(scan.lastScan!.succeededAt).toBeDefined();
    // The proxy authenticated; the plugin sent no credential of its own.
    expect(edge.requestLog.length).toBeGreaterThan(0);
    expect(edge.requestLog.every(entry => entry.username === READER)).toBe(
      true,
    );

    const report = (
      await request(server)
        .get(
          '/api/kubernetes-security/v1/entities/component/default/edge-gateway',
        )
        .set('Authorization', mockCredentials.user.header())
    ).body as EntityReport;
    // catalogRelation: only the cluster the Component dependsOn.
    expect(report.clusters.map(c => c.cluster)).toEqual(['edge']);
    expect(
      report.clusters[0].workloads.map(w => `${w.kind}/${w.name}`),
    ).toEqual(['Deployment/edge-gateway']);
    expect(report.clusters[0].errors).toEqual([]);
  });

  it('follows Resources that disappear from and come back to the catalog', async () => {
    const edgeResource = entities[0];
    entities = entities.filter(e => e !== edgeResource);
    await scheduler.triggerTask('kubernetes-security:locate-clusters');
    expect((await clusters()).items.map(c => c.name)).toEqual(['prod']);
    // With no retention, its reports go with it.
    const report = (
      await request(server)
        .get(
          '/api/kubernetes-security/v1/entities/component/default/edge-gateway',
        )
        .set('Authorization', mockCredentials.user.header())
    ).body as EntityReport;
    expect(report.clusters).toEqual([]);

    entities = [edgeResource, ...entities];
    await scheduler.triggerTask('kubernetes-security:locate-clusters');
    expect((await clusters()).items.map(c => c.name)).toEqual(['prod', 'edge']);
  });
});
