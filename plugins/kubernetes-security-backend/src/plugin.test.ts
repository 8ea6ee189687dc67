import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import type { EntityReport } from '@internal/plugin-kubernetes-security-common';
import {
  loadManifests,
  SimulatedCluster,
  startSimulatedCluster,
} from '@internal/simulated-cluster';
import { resolve } from 'node:path';
import request from 'supertest';
import {
  demoComponents,
  EXAMPLES,
  READ_ALL,
  READER,
} from './__testUtils__/demo';
import { kubernetesSecurityPlugin } from './plugin';

jest.setTimeout(60_000);

/**
 * The in-memory catalog, answering like a catalog whose permission policy
 * lets users not read `hiddenRef` (the scan's own service credentials still
 * can): the report endpoint must take the catalog's word for it.
 */
function catalogHidingFromUsers(
  hiddenRef: string,
  options: Parameters<typeof catalogServiceMock>[0],
) {
  const catalog = catalogServiceMock(options);
  const isUser = (credentials?: BackstageCredentials) =>
    (credentials?.principal as { type?: string } | undefined)?.type === 'user';
  const hiding: Partial<CatalogService> = {
    async getEntitiesByRefs(query, { credentials }) {
      const { items } = await catalog.getEntitiesByRefs(query);
      return {
        items: items.map((item, index) =>
          isUser(credentials) && query.entityRefs[index] === hiddenRef
            ? undefined
            : item,
        ),
      };
    },
    async getEntityByRef(ref, { credentials }) {
      const ref_ = typeof ref === 'string' ? ref : stringifyEntityRef(ref);
      return isUser(credentials) && ref_ === hiddenRef
        ? undefined
        : catalog.getEntityByRef(ref);
    },
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      new Proxy(catalog, {
        get: (target, property) => {
          const value =
            hiding[property as keyof CatalogService] ??
            Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as CatalogService,
  });
}

describe('kubernetes-security backend against simulated clusters', () => {
  const clusters: SimulatedCluster[] = [];
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stopBackend: () => Promise<void>;
  const denied = 'component:default/metrics-gateway';
  const prodTeamMember = 'user:default/prod-oncall';
  type AuditRecord = { eventId: string } & Record<string, unknown>;
  const audit: AuditRecord[] = [];

  beforeAll(async () => {
    const [prodObjects, stagingObjects] = await Promise.all([
      loadManifests(resolve(EXAMPLES, 'clusters/prod')),
      loadManifests(resolve(EXAMPLES, 'clusters/staging')),
    ]);
    const prod = await startSimulatedCluster({
      name: 'prod',
      version: 'v1.30.1',
      objects: prodObjects,
      tokens: [{ token: 'reader', username: READER, rules: [READ_ALL] }],
    });
    const staging = await startSimulatedCluster({
      name: 'staging',
      version: 'v1.26.3',
      objects: stagingObjects,
      tokens: [{ token: 'reader', username: READER, rules: [READ_ALL] }],
    });
    // Same objects as prod, but the token may not list CronJobs.
    const restricted = await startSimulatedCluster({
      name: 'restricted',
      objects: prodObjects,
      tokens: [
        {
          token: 'restricted',
          username: READER,
          rules: [
            { apiGroups: ['', 'apps'], resources: ['*'], verbs: ['list'] },
            { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list'] },
          ],
        },
      ],
    });
    // Answers the first scan, then goes away.
    const flaky = await startSimulatedCluster({
      name: 'flaky',
      objects: prodObjects,
      tokens: [{ token: 'reader', username: READER, rules: [READ_ALL] }],
    });
    clusters.push(prod, staging, restricted, flaky);
    const clusterConfig = (name: string, url: string, token: string) => ({
      name,
      url,
      authProvider: 'serviceAccount',
      serviceAccountToken: token,
    });

    const backend = await startTestBackend({
      features: [
        kubernetesSecurityPlugin,
        // Requests without credentials stay unauthenticated (the test default would sign them in).
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogHidingFromUsers(denied, {
          entities: [
            ...demoComponents(),
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'broken-selector',
                namespace: 'default',
                annotations: {
                  'backstage.io/kubernetes-label-selector': 'app in (web',
                },
              },
              spec: {},
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'singleTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    clusterConfig('prod', prod.url, 'reader'),
                    clusterConfig('staging', staging.url, 'reader'),
                    clusterConfig('restricted', restricted.url, 'restricted'),
                    clusterConfig('flaky', flaky.url, 'reader'),
                    // Nothing listens on port 1.
                    clusterConfig(
                      'unreachable',
                      'http://127.0.0.1:1',
                      'reader',
                    ),
                    clusterConfig('wrong-token', prod.url, 'not-a-token'),
                  ],
                },
              ],
            },
            kubernetesSecurity: {
              pageSize: 7,
              // No initial delay: the test scheduler runs such tasks at start-up.
              schedule: { frequency: { minutes: 30 }, timeout: { minutes: 1 } },
            },
          },
        }),
        mockServices.auditor.mock({
          createEvent: async options => {
            const event: AuditRecord = {
              eventId: options.eventId,
              meta: options.meta,
            };
            audit.push(event);
            return {
              success: async ({ meta } = {}) => {
                Object.assign(event, { outcome: 'success', result: meta });
              },
              fail: async ({ error }) => {
                Object.assign(event, { outcome: 'fail', error: error.message });
              },
            };
          },
        }).factory,
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          // The prod team sees its cluster only; everyone else every cluster.
          authorizeConditional: async (requests, { credentials }) =>
            requests.map(() =>
              (credentials.principal as { userEntityRef?: string })
                .userEntityRef === prodTeamMember
                ? {
                    result: AuthorizeResult.CONDITIONAL,
                    pluginId: 'kubernetes-security',
                    resourceType: 'kubernetes-security-cluster',
                    conditions: {
                      rule: 'IS_CLUSTER',
                      resourceType: 'kubernetes-security-cluster',
                      params: { names: ['prod'] },
                    },
                  }
                : { result: AuthorizeResult.ALLOW },
            ),
        }).factory,
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();

    // Wait for the first scan of every cluster.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await request(server)
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
  });

  afterAll(async () => {
    await stopBackend?.();
    // The flaky cluster is already stopped by its test.
    await Promise.all(clusters.map(c => c.stop().catch(() => undefined)));
  });

  const getReport = async (name: string) =>
    request(server)
      .get(`/api/kubernetes-security/v1/entities/component/default/${name}`)
      .set('Authorization', mockCredentials.user.header());

  it('answers 401 without credentials, or with a token that does not verify, on every entity route', async () => {
    const entity =
      '/api/kubernetes-security/v1/entities/component/default/payments-api';
    // A token verified once does not let anything else in afterwards.
    expect((await getReport('payments-api')).status).toBe(200);
    for (const path of [entity, `${entity}/history`]) {
      expect((await request(server).get(path)).status).toBe(401);
      const forged = await request(server)
        .get(path)
        .set('Authorization', 'Bearer not-a-verifiable-token');
      expect(forged.status).toBe(401);
    }
  });

  it("returns an entity's workloads from both demo clusters", async () => {
    const response = await getReport('payments-api');
    expect(response.status).toBe(200);
    const report = response.body as EntityReport;
    const byCluster = Object.fromEntries(
      report.clusters.map(c => [c.cluster, c]),
    );
    // Clusters that never answered have no result to show yet.
    expect(Object.keys(byCluster).sort()).toEqual([
      'flaky',
      'prod',
      'restricted',
      'staging',
    ]);
    expect(byCluster.prod.workloads.length).toBeGreaterThan(0);
    expect(byCluster.staging.workloads.length).toBeGreaterThan(0);
    expect(byCluster.prod).toMatchObject({
      stale: false,
      labelSelector: 'backstage.io/kubernetes-id=payments-api',
      errors: [],
    });
    for (const workload of byCluster.prod.workloads) {
      expect(workload.containers.length).toBeGreaterThan(0);
      expect(workload.score.grade).toMatch(/^[A-F]$/);
    }
    expect(report.score).toMatchObject({
      grade: expect.stringMatching(/^[A-F]$/),
      cluster: expect.any(String),
    });
    expect(byCluster.prod.namespaces.map(n => n.name)).toEqual(['payments']);
  });

  it('selects by label selector and namespace annotations, and honours cluster pins', async () => {
    const ledger = (await getReport('payments-ledger')).body as EntityReport;
    expect(
      ledger.clusters
        .find(c => c.cluster === 'prod')!
        .workloads.map(w => w.kind),
    ).toContain('StatefulSet');

    const worker = (await getReport('checkout-worker')).body as EntityReport;
    for (const cluster of worker.clusters) {
      expect(cluster.namespace).toBe('checkout');
      expect(cluster.workloads.every(w => w.namespace === 'checkout')).toBe(
        true,
      );
    }

    const deployer = (await getReport('ci-deployer')).body as EntityReport;
    expect(deployer.clusters.map(c => c.cluster)).toEqual(['prod']);
  });

  it('stores findings, scores and grades per workload and entity', async () => {
    const agent = (await getReport('node-agent')).body as EntityReport;
    const prod = agent.clusters.find(c => c.cluster === 'prod')!;
    const findings = prod.workloads.flatMap(w => w.findings);
    expect(findings).toContainEqual(
      expect.objectContaining({
        checkId: 'privileged-container',
        severity: 'critical',
        container: expect.any(String),
      }),
    );
    // A critical finding caps the grade at D at best.
    expect(['D', 'F']).toContain(agent.score!.grade);
    expect(agent.score!.explanation.deductions.length).toBeGreaterThan(0);
  });

  it('reports a 403 on one kind as partial data, keeping the rest', async () => {
    const report = (await getReport('checkout-worker')).body as EntityReport;
    const restricted = report.clusters.find(c => c.cluster === 'restricted')!;
    expect(restricted.errors).toContainEqual(
      expect.objectContaining({
        type: 'FORBIDDEN',
        resource: 'batch/cronjobs',
        statusCode: 403,
        message: expect.stringMatching(
          /^Missing permission: list batch\/cronjobs\. Not shown: CronJobs/,
        ),
      }),
    );
    expect(restricted.errors.every(error => error.type === 'FORBIDDEN')).toBe(
      true,
    );
    // Without CronJobs, the Job is the outermost workload that can be seen.
    expect(restricted.workloads.length).toBeGreaterThan(0);
  });

  it('records unreachable clusters and rejected tokens on the cluster list, without reports', async () => {
    const response = await request(server)
      .get('/api/kubernetes-security/v1/clusters')
      .set('Authorization', mockCredentials.user.header());
    const byName = Object.fromEntries(
      response.body.items.map((c: any) => [c.name, c]),
    );
    expect(byName.unreachable.lastScan.succeededAt).toBeUndefined();
    expect(byName.unreachable.lastScan.errors[0]).toMatchObject({
      type: 'UNREACHABLE',
    });
    expect(byName['wrong-token'].lastScan.errors[0]).toMatchObject({
      type: 'UNAUTHORIZED',
      statusCode: 401,
    });
    expect(byName.prod.lastScan.succeededAt).toBeDefined();
  });

  it('shows clusters, their problems and their panels only to callers who may see them', async () => {
    const asProdTeam = mockCredentials.user.header(prodTeamMember);
    const list = await request(server)
      .get('/api/kubernetes-security/v1/clusters')
      .set('Authorization', asProdTeam);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual([
      'prod',
    ]);
    expect(list.body.problems).toEqual([]);
    const report = (
      await request(server)
        .get(
          '/api/kubernetes-security/v1/entities/component/default/payments-api',
        )
        .set('Authorization', asProdTeam)
    ).body as EntityReport;
    // Findings stay with the entity; only the cluster panel is withheld.
    expect(report.clusters.map(c => c.cluster)).toContain('staging');
    expect(report.clusterStatus!.map(c => c.cluster)).toEqual(['prod']);

    const everyone = (await getReport('payments-api')).body as EntityReport;
    expect(everyone.clusterStatus!.map(c => c.cluster).sort()).toEqual(
      everyone.clusters.map(c => c.cluster).sort(),
    );
  });

  it('hides reports of entities the caller may not read', async () => {
    const response = await getReport('metrics-gateway');
    expect(response.status).toBe(404);
    const list = await request(server)
      .get('/api/kubernetes-security/v1/entities')
      .set('Authorization', mockCredentials.user.header());
    expect(list.status).toBe(200);
    const listed = list.body.items.map(
      (s: { entityRef: string }) => s.entityRef,
    );
    expect(listed).toContain('component:default/payments-api');
    expect(listed).not.toContain(denied);
  });

  it('serves a report compressed, and answers a repeated view with 304 until the data changes', async () => {
    const path =
      '/api/kubernetes-security/v1/entities/component/default/payments-api';
    const first = await request(server)
      .get(path)
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'gzip');
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect((first.body as EntityReport).entityRef).toBe(
      'component:default/payments-api',
    );
    const plain = await request(server)
      .get(path)
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(first.body);

    const etag = first.headers.etag;
    const again = await request(server)
      .get(path)
      .set('Authorization', mockCredentials.user.header())
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);
    // Fewer visible panels are another body, so another tag.
    const prodTeam = await request(server)
      .get(path)
      .set('Authorization', mockCredentials.user.header(prodTeamMember))
      .set('If-None-Match', etag);
    expect(prodTeam.status).toBe(200);
    expect(prodTeam.headers.etag).not.toBe(etag);
    // A caller who may not read the entity never gets a 304 either.
    const hidden = await request(server)
      .get(
        '/api/kubernetes-security/v1/entities/component/default/metrics-gateway',
      )
      .set('Authorization', mockCredentials.user.header())
      .set('If-None-Match', etag);
    expect(hidden.status).toBe(404);
  });

  it('starts scans on request ("Scan now") for permitted callers', async () => {
    const before = clusters[1].requestLog.length;
    const response = await request(server)
      .post('/api/kubernetes-security/v1/scans')
      .set('Authorization', mockCredentials.user.header())
      .send({ clusters: ['staging', 'no-such-cluster'] });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ started: ['staging'] });
    const deadline = Date.now() + 10_000;
    while (clusters[1].requestLog.length === before && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(clusters[1].requestLog.length).toBeGreaterThan(before);
    const anonymous = await request(server)
      .post('/api/kubernetes-security/v1/scans')
      .send({});
    expect(anonymous.status).toBe(401);
    expect(audit.filter(e => e.eventId === 'scan-trigger')).toEqual([
      {
        eventId: 'scan-trigger',
        meta: { requested: ['staging', 'no-such-cluster'] },
        outcome: 'success',
        result: { started: ['staging'] },
      },
    ]);
  });

  it('keeps the last good result of a cluster that stops answering, marked stale', async () => {
    const flaky = clusters[3];
    const before = (
      (await getReport('payments-api')).body as EntityReport
    ).clusters.find(c => c.cluster === 'flaky')!;
    await flaky.stop();
    await request(server)
      .post('/api/kubernetes-security/v1/scans')
      .set('Authorization', mockCredentials.user.header())
      .send({ clusters: ['flaky'] })
      .expect(202);
    const deadline = Date.now() + 10_000;
    let after = before;
    while (!after.stale && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
      after = (
        (await getReport('payments-api')).body as EntityReport
      ).clusters.find(c => c.cluster === 'flaky')!;
    }
    expect(after).toMatchObject({
      stale: true,
      scannedAt: before.scannedAt,
      workloads: before.workloads,
    });
    expect(after.staleReason).toMatch(
      /Cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
    expect(after.attemptedAt > before.attemptedAt).toBe(true);
  });

  it('reports legacy token Secrets without ever asking for their values', async () => {
    const deployer = (await getReport('ci-deployer')).body as EntityReport;
    const findings = deployer.clusters.flatMap(c =>
      c.workloads.flatMap(w => w.findings),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        checkId: 'legacy-token-referenced',
        message: expect.stringContaining('last used 2026-10-02'),
      }),
    );
    const secretRequests = clusters.flatMap(c =>
      c.requestLog.filter(entry => entry.path.includes('/secrets')),
    );
    expect(secretRequests.length).toBeGreaterThan(0);
    for (const entry of secretRequests) {
      // Only ever the metadata of token Secrets: the first media type asks for
      // PartialObjectMetadataList, so no value can come back.
      expect(entry.path).toBe('/api/v1/secrets');
      expect(entry.query.fieldSelector).toBe(
        'type=kubernetes.io/service-account-token',
      );
      expect(entry.accept.split(',')[0]).toBe(
        'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      );
    }
  });

  it('reports a malformed selector annotation on the entity, without failing the scan', async () => {
    const response = await getReport('broken-selector');
    expect(response.status).toBe(200);
    const prod = (response.body as EntityReport).clusters.find(
      c => c.cluster === 'prod',
    )!;
    expect(prod.workloads).toEqual([]);
    expect(prod.errors).toEqual([
      expect.objectContaining({
        type: 'INVALID_ANNOTATION',
        message: expect.stringContaining(
          'Invalid label selector "app in (web": unbalanced "("',
        ),
      }),
    ]);
    // Other entities of the same scan are unaffected.
    expect(
      ((await getReport('payments-api')).body as EntityReport).clusters.find(
        c => c.cluster === 'prod',
      )!.errors,
    ).toEqual([]);
  });

  it('answers 404 for an unknown entity', async () => {
    expect((await getReport('does-not-exist')).status).toBe(404);
  });

  it('lists each kind once per cluster scan, paginated, with no per-entity requests', () => {
    const prod = clusters[0];
    // The wrong-token cluster points at prod too: keep the reader's requests.
    const requests = prod.requestLog.filter(
      entry => entry.method === 'GET' && entry.username === READER,
    );
    expect(requests.filter(entry => entry.path === '/version')).toHaveLength(1);
    const gets = requests.filter(entry => entry.path !== '/version');
    // Collections are listed (with a page size); the rest is discovery and
    // the parameter objects of admission policies.
    const lists = gets.filter(entry => entry.query.limit !== undefined);
    const firstPages = lists
      .filter(entry => !entry.query.continue)
      .map(entry => entry.path);
    // One scan of prod: every collection listed once, from its first page.
    expect(firstPages.sort()).toEqual([
      '/api/v1/namespaces',
      '/api/v1/nodes',
      '/api/v1/persistentvolumeclaims',
      '/api/v1/persistentvolumes',
      '/api/v1/pods',
      '/api/v1/secrets',
      '/api/v1/serviceaccounts',
      '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies',
      '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings',
      '/apis/apps/v1/daemonsets',
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/replicasets',
      '/apis/apps/v1/statefulsets',
      '/apis/batch/v1/cronjobs',
      '/apis/batch/v1/jobs',
      '/apis/kyverno.io/v1/clusterpolicies',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      '/apis/rbac.authorization.k8s.io/v1/rolebindings',
      '/apis/storage.k8s.io/v1/csidrivers',
      '/apis/storage.k8s.io/v1/storageclasses',
    ]);
    // pageSize 7: pods take several pages; never a label selector per entity.
    expect(
      lists.filter(entry => entry.path === '/api/v1/pods').length,
    ).toBeGreaterThan(1);
    expect(
      lists.every(
        entry => entry.query.limit === '7' && !entry.query.labelSelector,
      ),
    ).toBe(true);
    // Discovery and parameter objects: a handful of requests, not one per entity.
    const others = gets.filter(entry => entry.query.limit === undefined);
    expect(others.length).toBeLessThan(12);
    expect(others.every(entry => !entry.query.labelSelector)).toBe(true);
  });
});
