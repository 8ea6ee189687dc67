import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  ClusterReport,
  EntityReport,
} from '@internal/plugin-kubernetes-security-common';
import request from 'supertest';
import { INVENTORY_RESOURCES } from '../collector/collectInventory';
import { kubernetesSecurityPlugin } from '../plugin';
import { realApiServerGate } from './__testUtils__/availability';
import {
  READER_USERNAME,
  RealApiServer,
  startRealApiServer,
} from './__testUtils__/realApiServer';
import {
  CI_TOKEN_LAST_USED,
  RESTRICTED_GRANTS,
  SeededCluster,
  seedCluster,
} from './__testUtils__/seed';

jest.setTimeout(30_000);

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const SUITE = 'full scan of a real kube-apiserver v1.20.2 through the backend';
const realApiServer = realApiServerGate(SUITE);

realApiServer.describe(SUITE, () => {
  let server: RealApiServer;
  let seeded: SeededCluster;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;

  beforeAll(async () => {
    server = await startRealApiServer(realApiServer.binaries());
    seeded = await seedCluster(server);
    const cluster = (name: string, extra: object) => ({
      name,
      url: server.url,
      authProvider: 'serviceAccount',
      ...extra,
    });
    backend = await startTestBackend({
      features: [
        kubernetesSecurityPlugin,
        catalogServiceMock.factory({
          entities: [
            'payments-api',
            'payments-ledger',
            'node-agent',
            'ci-deployer',
          ].map(component),
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    cluster('real', {
                      serviceAccountToken: server.tokens.reader,
                      caData: server.caData,
                    }),
                    cluster('real-restricted', {
                      serviceAccountToken: server.tokens.restricted,
                      caFile: server.caFile,
                    }),
                    // No CA configured: the server cannot be verified.
                    cluster('real-untrusted', {
                      serviceAccountToken: server.tokens.reader,
                    }),
                  ],
                },
              ],
            },
            kubernetesSecurity: {
              pageSize: 2,
              schedule: {
                frequency: { minutes: 30 },
                timeout: { minutes: 1 },
              },
            },
          },
        }),
      ],
    });

    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await request(backend.server)
        .get('/api/kubernetes-security/v1/clusters')
        .set('Authorization', mockCredentials.user.header());
      if (response.body.items?.every((c: { lastScan?: unknown }) => c.lastScan))
        break;
      if (Date.now() > deadline)
        throw new Error(
          `scans did not finish: ${JSON.stringify(response.body)}`,
        );
      await new Promise(r => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await server?.stop();
  }, 30_000);

  const report = async (
    name: string,
  ): Promise<Record<string, ClusterReport>> => {
    const response = await request(backend!.server)
      .get(`/api/kubernetes-security/v1/entities/component/default/${name}`)
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    return Object.fromEntries(
      (response.body as EntityReport).clusters.map(c => [c.cluster, c]),
    );
  };
  const workloadsOf = (cluster: ClusterReport) =>
    cluster.workloads.map(({ kind, name, namespace }) => ({
      kind,
      name,
      namespace,
    }));

  it('records the scan of each cluster with its version, or why it failed', async () => {
    const response = await request(backend!.server)
      .get('/api/kubernetes-security/v1/clusters')
      .set('Authorization', mockCredentials.user.header());
    const byName = Object.fromEntries(
      response.body.items.map((c: any) => [c.name, c.lastScan]),
    );
    expect(byName.real).toMatchObject({
      gitVersion: 'v1.20.2',
      succeededAt: expect.any(String),
    });
    expect(byName['real-restricted']).toMatchObject({
      succeededAt: expect.any(String),
    });
    expect(byName['real-untrusted'].succeededAt).toBeUndefined();
    expect(byName['real-untrusted'].errors[0].message).toMatch(
      /SELF_SIGNED_CERT_IN_CHAIN/,
    );
  });

  it('shows on the cluster panel what 1.20 does not serve, and what the restricted token may not read', async () => {
    const response = await request(backend!.server)
      .get('/api/kubernetes-security/v1/clusters')
      .set('Authorization', mockCredentials.user.header());
    const status = Object.fromEntries(
      response.body.items.map((c: any) => [c.name, c.lastScan.status]),
    );
    const real = status.real;
    // Not served by this version: explained, never an error.
    expect(real.identity).toBeUndefined();
    expect(real.identityUnavailableReason).toBe(
      'SelfSubjectReview is not available before 1.26 (this cluster runs 1.20).',
    );
    const stage = (id: string) => real.features.find((f: any) => f.id === id);
    expect(stage('validating-admission-policy')).toMatchObject({
      stage: 'not-available',
      note: expect.stringContaining('arrived as alpha in 1.26, after 1.20'),
    });
    expect(stage('windows-host-process').stage).toBe('not-available');
    expect(real.support.status).toBe('end-of-life');
    expect(real.errors).toEqual([]);
    // Real SelfSubjectAccessReviews: the shipped role grants everything asked.
    expect(real.permissions.length).toBeGreaterThan(10);
    expect(real.permissions.filter((p: any) => !p.allowed)).toEqual([]);
    // The restricted token's gaps, each with what it costs and the role to grant.
    const denied = status['real-restricted'].permissions
      .filter((p: any) => !p.allowed)
      .map((p: any) => p.resource);
    expect(denied).toContain('secrets');
    expect(status['real-restricted'].missingPermissionsClusterRole).toContain(
      'kind: ClusterRole',
    );
  });

  it("stores each entity's outermost workloads with their pods, listed in pages of 2", async () => {
    const payments = (await report('payments-api')).real;
    expect(workloadsOf(payments)).toEqual(seeded.workloads['payments-api']);
    expect(payments.workloads[0].pods.map(p => p.name).sort()).toEqual(
      seeded.pods
        .filter(p => p.startsWith('payments/payments-api-'))
        .map(p => p.split('/')[1]),
    );
    expect(workloadsOf((await report('payments-ledger')).real)).toEqual(
      seeded.workloads['payments-ledger'],
    );
    expect(workloadsOf((await report('node-agent')).real)).toEqual(
      seeded.workloads['node-agent'],
    );

    const podLists = (await server.auditEvents())
      .filter(e => e.user.username === READER_USERNAME)
      .map(e => new URL(e.requestURI, server.url))
      .filter(url => url.pathname === '/api/v1/pods');
    // Only "real" gets through as the reader (real-untrusted fails TLS,
    // real-restricted is another user): one scan of 7 pods in pages of 2.
    expect(podLists).toHaveLength(Math.ceil(seeded.pods.length / 2));
    expect(
      podLists.every(
        url =>
          url.searchParams.get('limit') === '2' &&
          !url.searchParams.has('labelSelector'),
      ),
    ).toBe(true);
  });

  it('finds what is wrong in the real objects', async () => {
    const agent = (await report('node-agent')).real;
    const agentChecks = agent.workloads[0].findings.map(f => f.checkId);
    expect(agentChecks).toEqual(
      expect.arrayContaining([
        'privileged-container',
        'host-pid',
        'host-network',
      ]),
    );
    expect(['D', 'F']).toContain(agent.workloads[0].score.grade);

    const payments = (await report('payments-api')).real;
    expect(
      payments.workloads[0].findings.filter(
        f => f.severity === 'critical' || f.severity === 'high',
      ),
    ).toEqual([]);
  });

  it('reports the legacy token Secret a CronJob pod mounts, with its last-used date', async () => {
    const ci = (await report('ci-deployer')).real;
    // On 1.20 CronJobs are listed at batch/v1beta1, found through discovery.
    expect(workloadsOf(ci)).toEqual([
      { kind: 'CronJob', name: 'ci-sync', namespace: 'ci' },
    ]);
    expect(ci.errors).toEqual([]);
    expect(ci.workloads[0].findings).toContainEqual(
      expect.objectContaining({
        checkId: 'legacy-token-referenced',
        message: expect.stringContaining(`last used ${CI_TOKEN_LAST_USED}`),
      }),
    );
  });

  it('keeps partial results of a restricted token, with a FORBIDDEN error per unreadable resource', async () => {
    const reports = await report('payments-api');
    expect(Object.keys(reports).sort()).toEqual(['real', 'real-restricted']);
    const restricted = reports['real-restricted'];
    // One error per collection the restricted role does not grant.
    const forbidden = INVENTORY_RESOURCES.map(r => r.resource)
      .filter(resource => !RESTRICTED_GRANTS.includes(resource))
      .sort();
    expect(restricted.errors.map(e => e.resource).sort()).toEqual(forbidden);
    for (const error of restricted.errors) {
      const name = error.resource!.split('/').pop();
      expect(error).toMatchObject({
        type: 'FORBIDDEN',
        statusCode: 403,
        // The apiserver's own Status message, naming user and resource.
        message: expect.stringContaining(
          `User "restricted-reader" cannot list resource "${name}"`,
        ),
      });
    }
    expect(workloadsOf(restricted)).toEqual(seeded.workloads['payments-api']);
    // Without Jobs, the CronJob's pod is all that is left of it.
    expect(
      workloadsOf((await report('ci-deployer'))['real-restricted']),
    ).toEqual([
      { kind: 'Pod', name: 'ci-sync-28790460-kq8vd', namespace: 'ci' },
    ]);
  });
});
