import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import type { KubeObject } from '@internal/plugin-kubernetes-security-common';
import { get as httpsGet } from 'node:https';
import { rootCertificates } from 'node:tls';
import {
  KubernetesApiClient,
  KubernetesRequestError,
} from '../clusters/KubernetesApiClient';
import {
  collectInventory,
  INVENTORY_RESOURCES,
} from '../collector/collectInventory';
import { discoverApis, DISCOVERED_GROUPS } from '../collector/discoverApis';
import { realApiServerGate } from './__testUtils__/availability';
import {
  READER_USERNAME,
  RealApiServer,
  startRealApiServer,
} from './__testUtils__/realApiServer';
import {
  RESTRICTED_GRANTS,
  SEEDED_TOKEN_VALUE,
  SeededCluster,
  seedCluster,
} from './__testUtils__/seed';

jest.setTimeout(30_000);

const names = (
  objects: { metadata?: { namespace?: string; name?: string } }[],
) => objects.map(o => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();

const SUITE = 'plugin collector against a real kube-apiserver v1.20.2';
const realApiServer = realApiServerGate(SUITE);

realApiServer.describe(SUITE, () => {
  let server: RealApiServer;
  let seeded: SeededCluster;

  beforeAll(async () => {
    server = await startRealApiServer(realApiServer.binaries());
    seeded = await seedCluster(server);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  const cluster = (
    overrides: Partial<KubernetesSecurityCluster> = {},
  ): KubernetesSecurityCluster => ({
    name: 'real',
    url: server.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: server.tokens.reader,
    skipTLSVerify: false,
    caData: server.caData,
    ...overrides,
  });
  const client = (
    overrides: Partial<KubernetesSecurityCluster> = {},
    pageSize = 500,
  ) =>
    new KubernetesApiClient(cluster(overrides), {
      pageSize,
      requestTimeoutMs: 10_000,
    });
  const auditCount = async () => (await server.auditEvents()).length;
  /** The reader's requests between two audit positions, as URLs. */
  const readerRequests = async (from: number, to?: number) =>
    (await server.auditEvents())
      .slice(from, to)
      .filter(event => event.user.username === READER_USERNAME)
      .map(event => new URL(event.requestURI, server.url));

  it('reads /version as v1.20.2 and the cluster version from it', async () => {
    const collected = await collectInventory(client());
    expect(collected.gitVersion).toBe('v1.20.2');
    expect(collected.context.clusterVersion).toEqual({ major: 1, minor: 20 });
  });

  it('lists every seeded object once per collection with the shipped read-only role', async () => {
    const discovery = await discoverApis(client(), DISCOVERED_GROUPS);
    const before = await auditCount();
    const collected = await collectInventory(client(), discovery);

    expect(names(collected.inventory.pods)).toEqual([...seeded.pods].sort());
    expect(names(collected.inventory.deployments)).toEqual([
      'payments/payments-api',
    ]);
    expect(names(collected.inventory.replicaSets)).toEqual([
      'payments/payments-api-7d9f8c6b5',
    ]);
    expect(names(collected.inventory.statefulSets)).toEqual([
      'payments/payments-ledger',
    ]);
    expect(names(collected.inventory.daemonSets)).toEqual([
      'monitoring/node-agent',
    ]);
    expect(names(collected.inventory.jobs)).toEqual(['ci/ci-sync-28790460']);
    expect(collected.context.namespaces.map(n => n.metadata?.name)).toEqual(
      expect.arrayContaining([...seeded.namespaces, 'default', 'kube-system']),
    );
    expect(names(collected.context.serviceAccounts)).toEqual(
      expect.arrayContaining([
        'ci/ci-deployer',
        'monitoring/node-agent',
        'payments/default',
      ]),
    );
    // 1.20 serves CronJob only as batch/v1beta1: discovery picks that version.
    expect(names(collected.inventory.cronJobs)).toEqual(['ci/ci-sync']);
    expect(collected.errors).toEqual([]);
    expect(collected.failed).toBe(false);

    const paths = (await readerRequests(before)).map(url => url.pathname);
    expect(paths.sort()).toEqual(
      [
        '/version',
        ...INVENTORY_RESOURCES.map(r =>
          r.resource === 'batch/cronjobs'
            ? '/apis/batch/v1beta1/cronjobs'
            : r.path,
        ),
      ].sort(),
    );
  });

  it('follows continue tokens: pages of 2 give the same inventory as one page, in more requests', async () => {
    const beforeOnePage = await auditCount();
    const onePage = await collectInventory(client({}, 500));
    const beforePaged = await auditCount();
    const paged = await collectInventory(client({}, 2));

    expect(paged.inventory).toEqual(onePage.inventory);
    expect(paged.context).toEqual(onePage.context);
    expect(paged.errors).toEqual(onePage.errors);

    const podRequests = (urls: URL[]) =>
      urls.filter(url => url.pathname === '/api/v1/pods');
    const onePageRequests = podRequests(
      await readerRequests(beforeOnePage, beforePaged),
    );
    const pagedRequests = podRequests(await readerRequests(beforePaged));
    expect(onePageRequests).toHaveLength(1);
    expect(pagedRequests).toHaveLength(Math.ceil(seeded.pods.length / 2));
    expect(
      pagedRequests.every(url => url.searchParams.get('limit') === '2'),
    ).toBe(true);
    expect(
      pagedRequests.filter(url => url.searchParams.has('continue')),
    ).toHaveLength(pagedRequests.length - 1);
  });

  it('lists token Secrets as metadata only: the server stores their values, the scan never receives them', async () => {
    const reader = client();
    const listSpy = jest.spyOn(reader, 'request');
    const collected = await collectInventory(reader);

    const tokens = collected.context.serviceAccountTokens ?? [];
    expect(names(tokens)).toEqual([...seeded.tokenSecrets].sort());
    for (const token of tokens) {
      expect(token).not.toHaveProperty('data');
      expect(token).not.toHaveProperty('stringData');
      expect(
        token.metadata?.labels?.['kubernetes.io/legacy-token-last-used'],
      ).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }

    // The same request the collector made, read raw: the server answers with
    // PartialObjectMetadataList, which has no place for values.
    const secretsCall = listSpy.mock.calls.find(
      ([, path]) => path === '/api/v1/secrets',
    );
    expect(secretsCall).toBeDefined();
    const [, path, init] = secretsCall!;
    const query = new URLSearchParams(
      Object.entries(init?.query ?? {}).filter(
        (e): e is [string, string] => !!e[1],
      ),
    );
    const raw = await server.request(`${path}?${query}`, {
      token: server.tokens.reader,
      accept: init?.accept,
    });
    expect(raw.status).toBe(200);
    expect(raw.json.kind).toBe('PartialObjectMetadataList');
    expect(raw.json.items).toHaveLength(seeded.tokenSecrets.length);
    for (const item of raw.json.items) expect(item).not.toHaveProperty('data');
    const encodedValue = Buffer.from(SEEDED_TOKEN_VALUE).toString('base64');
    expect(raw.body).not.toContain(encodedValue);

    // The values are really there, for a caller that asks for them.
    const stored = await server.request(
      '/api/v1/namespaces/ci/secrets/ci-deployer-token',
    );
    expect(stored.json.data.token).toBe(encodedValue);
    // The field selector leaves other Secrets out.
    expect(names(tokens)).not.toContain('payments/payments-db');
  });

  it('turns a restricted token into FORBIDDEN errors naming each resource, keeping what it may read', async () => {
    const collected = await collectInventory(
      client({ serviceAccountToken: server.tokens.restricted }),
    );
    expect(collected.failed).toBe(false);
    // Every collection the restricted role does not grant, and only those.
    const forbidden = INVENTORY_RESOURCES.map(r => r.resource)
      .filter(resource => !RESTRICTED_GRANTS.includes(resource))
      .sort();
    expect(forbidden).toEqual(
      expect.arrayContaining(['batch/jobs', 'secrets']),
    );
    expect(collected.errors.map(e => e.resource).sort()).toEqual(forbidden);
    for (const error of collected.errors) {
      expect(error).toMatchObject({ type: 'FORBIDDEN', statusCode: 403 });
    }
    const jobs = collected.errors.find(e => e.resource === 'batch/jobs')!;
    // The apiserver's own Status message, which names user, verb and resource.
    expect(jobs.message).toBe(
      'jobs.batch is forbidden: User "restricted-reader" cannot list resource "jobs" in API group "batch" at the cluster scope',
    );
    expect(names(collected.inventory.pods)).toEqual([...seeded.pods].sort());
    expect(names(collected.inventory.deployments)).toEqual([
      'payments/payments-api',
    ]);
    expect(collected.inventory.jobs).toEqual([]);
    // Unknown, not "none": checks must not conclude there are no tokens.
    expect(collected.context.serviceAccountTokens).toBeUndefined();
  });

  it('learns from discovery what 1.20 does not serve, without errors', async () => {
    for (const token of [server.tokens.reader, server.tokens.restricted]) {
      const discovery = await discoverApis(
        client({ serviceAccountToken: token }),
        [
          '',
          'authentication.k8s.io',
          'admissionregistration.k8s.io',
          'batch',
          'storage.k8s.io',
        ],
      );
      expect(discovery.errors).toEqual([]);
      // The groups were read (their other resources are there)...
      expect(discovery.serves('authentication.k8s.io', 'tokenreviews')).toBe(
        true,
      );
      expect(
        discovery.serves(
          'admissionregistration.k8s.io',
          'validatingwebhookconfigurations',
        ),
      ).toBe(true);
      // ...but SelfSubjectReview (1.26+) and ValidatingAdmissionPolicy (1.26+) are not.
      expect(
        discovery.serves('authentication.k8s.io', 'selfsubjectreviews'),
      ).toBe(false);
      expect(
        discovery.serves(
          'admissionregistration.k8s.io',
          'validatingadmissionpolicies',
        ),
      ).toBe(false);
      expect(discovery.isUnknown('authentication.k8s.io')).toBe(false);
      expect(discovery.preferredVersion('batch', 'cronjobs')).toBe('v1beta1');
      expect(discovery.versions('batch', 'cronjobs')).not.toContain('v1');
      expect(discovery.preferredVersion('storage.k8s.io', 'csidrivers')).toBe(
        'v1',
      );
    }
  });

  it('collects CSIDrivers with their fsGroupPolicy through the shipped role', async () => {
    const collected = await collectInventory(client());
    expect(
      Object.fromEntries(
        (collected.context.csiDrivers ?? []).map(driver => [
          driver.metadata?.name,
          (driver.spec as { fsGroupPolicy?: string }).fsGroupPolicy,
        ]),
      ),
    ).toEqual({
      'ebs.csi.example.com': 'File',
      'nfs.csi.example.com': 'None',
    });
  });

  it('inflates the gzip the API server sends for large lists, and caps the body after inflating', async () => {
    // kube-apiserver gzips responses over 128 KiB to clients that accept it.
    await server.request('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'large' },
        data: { text: 'compressible '.repeat(40_000) },
      },
    });
    const path = '/api/v1/namespaces/default/configmaps';
    const onTheWire = await new Promise<{ encoding?: string; bytes: number }>(
      (resolveWire, reject) =>
        httpsGet(
          server.url + path,
          {
            ca: server.caPem,
            headers: {
              Authorization: `Bearer ${server.tokens.admin}`,
              'Accept-Encoding': 'gzip',
            },
          },
          response => {
            let bytes = 0;
            response.on('data', chunk => {
              bytes += chunk.length;
            });
            response.on('end', () =>
              resolveWire({
                encoding: response.headers['content-encoding'],
                bytes,
              }),
            );
          },
        ).on('error', reject),
    );
    expect(onTheWire.encoding).toBe('gzip');

    const admin = { serviceAccountToken: server.tokens.admin };
    const listed = await client(admin).listAll(path);
    expect(names(listed as KubeObject[])).toEqual(['default/large']);
    // Above what travels, below what it inflates to: refused all the same.
    const cap = onTheWire.bytes * 4;
    expect(JSON.stringify(listed).length).toBeGreaterThan(cap);
    await expect(
      new KubernetesApiClient(cluster(admin), {
        pageSize: 500,
        requestTimeoutMs: 10_000,
        maxResponseBytes: cap,
      }).listAll(path),
    ).rejects.toMatchObject({
      type: 'BAD_RESPONSE',
      message: expect.stringContaining(`larger than ${cap} bytes`),
    });
  });

  describe('TLS', () => {
    it('verifies the server with the cluster CA from caData or caFile', async () => {
      await expect(client().request('GET', '/version')).resolves.toMatchObject({
        gitVersion: 'v1.20.2',
      });
      await expect(
        client({ caData: undefined, caFile: server.caFile }).request(
          'GET',
          '/version',
        ),
      ).resolves.toMatchObject({ gitVersion: 'v1.20.2' });
    });

    it('fails with a certificate error without the cluster CA, and the scan reads nothing', async () => {
      for (const untrusted of [
        client({ caData: undefined }),
        // A public root CA is no substitute for the cluster's.
        client({
          caData: Buffer.from(rootCertificates[0]).toString('base64'),
        }),
      ]) {
        const error = await untrusted
          .request<never>('GET', '/version')
          .catch((e: Error) => e);
        expect(error).toBeInstanceOf(KubernetesRequestError);
        // Node's verification code (the chain ends in a CA nobody trusts),
        // reported as the configuration problem it is.
        expect(error).toMatchObject({ type: 'CONFIGURATION' });
        expect((error as Error).message).toBe(
          `TLS verification of ${
            new URL(server.url).host
          } failed (SELF_SIGNED_CERT_IN_CHAIN): give the cluster's CA as caData or caFile (skipTLSVerify only for throwaway clusters)`,
        );
      }
      const collected = await collectInventory(client({ caData: undefined }));
      expect(collected.failed).toBe(true);
      expect(collected.inventory.pods).toEqual([]);
    });

    it('skips verification only when skipTLSVerify is configured', async () => {
      await expect(
        client({ caData: undefined, skipTLSVerify: true }).request(
          'GET',
          '/version',
        ),
      ).resolves.toMatchObject({ gitVersion: 'v1.20.2' });
      await expect(
        client({ caData: undefined, skipTLSVerify: false }).request(
          'GET',
          '/version',
        ),
      ).rejects.toThrow(KubernetesRequestError);
    });
  });
});
