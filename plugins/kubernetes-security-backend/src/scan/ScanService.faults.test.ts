import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { ClusterReport } from '@internal/plugin-kubernetes-security-common';
import {
  loadManifests,
  SimulatedCluster,
  startSimulatedCluster,
} from '@internal/simulated-cluster';
import { resolve } from 'node:path';
import {
  demoComponents,
  EXAMPLES,
  READ_ALL,
  READER,
} from '../__testUtils__/demo';
import type { KubernetesApiClientOptions } from '../clusters/KubernetesApiClient';
import { ReportStore } from '../store/ReportStore';
import type { ScanService } from './ScanService';
import {
  demoScanService,
  simulatedClusterDefinition,
} from '../__testUtils__/scanService';

jest.setTimeout(60_000);

const database = TestDatabases.create({ ids: ['SQLITE_3'] });

// Small pages so that lists take several requests and can fail mid-way;
// short timeouts and backoff so that faults cost milliseconds.
const CLIENT: KubernetesApiClientOptions = {
  pageSize: 5,
  requestTimeoutMs: 1_000,
  retry: { retries: 2, initialDelayMs: 5, maxDelayMs: 1_500 },
};

const withoutAttempt = (report: ClusterReport) => ({
  ...report,
  stale: undefined,
  staleReason: undefined,
  attemptedAt: undefined,
});

const onPods = (request: { path: string }) => request.path === '/api/v1/pods';

/**
 * Scans the demo's prod cluster while it misbehaves. Every fault leaves the
 * last good reports in place, marked stale with the cluster's reason; the
 * next scan without the fault brings fresh reports on its own.
 */
describe('ScanService when a cluster misbehaves', () => {
  let prod: SimulatedCluster;
  let staging: SimulatedCluster;
  let store: ReportStore;
  let entityRefs: string[];
  /** The reports of the last scan that succeeded, by entity. */
  let lastGood: Map<string, ClusterReport>;

  const service = (
    extra: Partial<ConstructorParameters<typeof ScanService>[0]> = {},
  ) => demoScanService(store, { client: CLIENT, ...extra });
  const scanProd = (options?: { signal?: AbortSignal }) =>
    service().scanCluster(simulatedClusterDefinition(prod), options);

  async function reportsOf(cluster: string) {
    const reports = new Map<string, ClusterReport>();
    for (const ref of entityRefs) {
      const report = (await store.getEntityReports(ref)).find(
        r => r.cluster === cluster,
      );
      if (report) reports.set(ref, report);
    }
    return reports;
  }

  async function scanRecordOf(cluster: string) {
    return (await store.listClusterScans()).find(s => s.cluster === cluster)!;
  }

  /** The last good reports, word for word, only marked stale with `reason`. */
  async function expectKeptAndStale(reason: RegExp) {
    const now = await reportsOf('prod');
    expect([...now.keys()].sort()).toEqual([...lastGood.keys()].sort());
    for (const [ref, before] of lastGood) {
      const after = now.get(ref)!;
      expect(withoutAttempt(after)).toEqual(withoutAttempt(before));
      expect(after.stale).toBe(true);
      expect(after.staleReason).toMatch(reason);
      expect(after.attemptedAt > before.attemptedAt).toBe(true);
    }
    // The cluster's own record says what failed; the other cluster is untouched.
    const record = await scanRecordOf('prod');
    expect(record.succeededAt).toBe([...lastGood.values()][0].scannedAt);
    expect(record.status!.errors.length).toBeGreaterThan(0);
    const stagingReports = await reportsOf('staging');
    expect([...stagingReports.values()].every(r => !r.stale)).toBe(true);
  }

  /** A scan without the fault stores fresh reports with the same workloads. */
  async function expectRecovery() {
    prod.clearFaults();
    await prod.restart();
    const scan = await scanProd();
    expect(scan.succeededAt).toBe(scan.attemptedAt);
    const now = await reportsOf('prod');
    for (const [ref, before] of lastGood) {
      const report = now.get(ref)!;
      expect(report).toMatchObject({
        stale: false,
        scannedAt: scan.succeededAt,
      });
      expect(report.staleReason).toBeUndefined();
      expect(report.workloads).toEqual(before.workloads);
    }
    lastGood = now;
  }

  beforeAll(async () => {
    const [prodObjects, stagingObjects] = await Promise.all([
      loadManifests(resolve(EXAMPLES, 'clusters/prod')),
      loadManifests(resolve(EXAMPLES, 'clusters/staging')),
    ]);
    const tokens = [{ token: 'reader', username: READER, rules: [READ_ALL] }];
    prod = await startSimulatedCluster({
      name: 'prod',
      version: 'v1.30.1',
      objects: prodObjects,
      tokens,
    });
    staging = await startSimulatedCluster({
      name: 'staging',
      version: 'v1.26.3',
      objects: stagingObjects,
      tokens,
    });
    const knex = await database.init('SQLITE_3');
    store = await ReportStore.create(mockServices.database({ knex }));
    entityRefs = demoComponents().map(
      entity => `component:default/${entity.metadata.name}`,
    );
    await service().scanCluster(simulatedClusterDefinition(staging));
    await scanProd();
    lastGood = await reportsOf('prod');
    if (![...lastGood.values()].some(report => report.workloads.length)) {
      throw new Error('The first scan found no workloads');
    }
  });

  afterAll(async () => {
    await Promise.all([prod.stop(), staging.stop()]);
  });

  it('keeps the last good reports when the cluster dies in the middle of a list', async () => {
    prod.injectFault({
      type: 'die',
      times: 1,
      match: request => onPods(request) && request.query.has('continue'),
    });
    const scan = await scanProd();
    expect(prod.requestLog.some(entry => entry.fault === 'die')).toBe(true);
    expect(scan.errors).toContainEqual(
      expect.objectContaining({ type: 'UNREACHABLE', resource: 'pods' }),
    );
    await expectKeptAndStale(
      /(Cannot reach|Connection to) 127\.0\.0\.1:\d+.*ECONN(REFUSED|RESET)/,
    );
    await expectRecovery();
  });

  it('keeps them when a list stalls, and says which one', async () => {
    prod.injectFault({ type: 'stall', match: onPods });
    const scan = await scanProd();
    expect(scan.errors).toEqual([
      {
        type: 'TIMEOUT',
        resource: 'pods',
        message: 'GET /api/v1/pods timed out after 1000 ms',
      },
    ]);
    await expectKeptAndStale(
      /^Incomplete data, not stored: GET \/api\/v1\/pods timed out after 1000 ms \[pods\]$/,
    );
    await expectRecovery();
  });

  it('keeps them when the whole scan outlives its timeout', async () => {
    prod.injectFault({ type: 'stall' });
    const scan = await service({
      scanTimeoutMs: 300,
      client: { ...CLIENT, requestTimeoutMs: 30_000 },
    }).scanCluster(simulatedClusterDefinition(prod));
    expect(scan.durationMs).toBeLessThan(5_000);
    await expectKeptAndStale(
      /^Scan aborted: the scan took longer than its 300 ms timeout$/,
    );
    await expectRecovery();
  });

  it('keeps them when the scheduler aborts the scan', async () => {
    prod.injectFault({ type: 'stall' });
    const task = new AbortController();
    setTimeout(() => task.abort(), 100);
    const scan = await scanProd({ signal: task.signal });
    expect(scan.errors).toContainEqual(
      expect.objectContaining({
        type: 'TIMEOUT',
        resource: 'pods',
        message: expect.stringMatching(
          /^GET \/api\/v1\/pods aborted: the scheduler stopped it/,
        ),
      }),
    );
    await expectKeptAndStale(/^Scan aborted: the scheduler stopped it/);
    await expectRecovery();
  });

  it('keeps them when a list returns garbage', async () => {
    prod.injectFault({
      type: 'garbage',
      match: request => request.path === '/apis/apps/v1/deployments',
    });
    const scan = await scanProd();
    expect(scan.errors).toEqual([
      {
        type: 'BAD_RESPONSE',
        resource: 'apps/deployments',
        message: 'GET /apis/apps/v1/deployments returned invalid JSON',
      },
    ]);
    await expectKeptAndStale(
      /GET \/apis\/apps\/v1\/deployments returned invalid JSON \[apps\/deployments\]/,
    );
    await expectRecovery();
  });

  it('keeps them through a storm of 5xx, after retrying each request', async () => {
    prod.injectFault({ type: 'status', code: 503 });
    await scanProd();
    const served = prod.requestLog.filter(entry => entry.fault === 'status');
    // Every GET three times (two retries); nothing answered, so nothing stored.
    expect(
      served.filter(entry => entry.path === '/api/v1/namespaces'),
    ).toHaveLength(3);
    await expectKeptAndStale(
      /^The server is currently unable to handle the request \(3 attempts\)$/,
    );
    await expectRecovery();
  });

  it('rides out a short burst of 5xx and dropped connections without going stale', async () => {
    prod.clearRequestLog();
    prod.injectFault({ type: 'status', code: 500, times: 1, match: onPods });
    prod.injectFault({ type: 'drop', times: 1, match: onPods });
    const scan = await scanProd();
    expect(scan.errors).toEqual([]);
    expect(scan.succeededAt).toBe(scan.attemptedAt);
    expect(prod.requestLog.filter(entry => entry.fault)).toHaveLength(2);
    const now = await reportsOf('prod');
    for (const [ref, before] of lastGood) {
      expect(now.get(ref)).toMatchObject({
        stale: false,
        workloads: before.workloads,
      });
    }
    lastGood = now;
  });

  it('waits out a 429 with Retry-After, and keeps the last reports when asked to wait longer than it may', async () => {
    prod.clearRequestLog();
    prod.injectFault({
      type: 'status',
      code: 429,
      retryAfterSeconds: 1,
      times: 1,
      match: onPods,
    });
    const scan = await scanProd();
    expect(scan.succeededAt).toBe(scan.attemptedAt);
    const pods = prod.requestLog.filter(entry => onPods(entry));
    expect(pods[1].timestamp - pods[0].timestamp).toBeGreaterThanOrEqual(990);
    lastGood = await reportsOf('prod');

    prod.injectFault({
      type: 'status',
      code: 429,
      retryAfterSeconds: 60,
      match: onPods,
    });
    await scanProd();
    await expectKeptAndStale(
      /Too many requests, please try again later\.; the API server asks to retry after 60 s, longer than a scan waits \(1\.5 s\) \[pods\]/,
    );
    await expectRecovery();
  });
});
