import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { ClusterReport } from '@internal/plugin-kubernetes-security-common';
import {
  loadManifests,
  SimulatedCluster,
  startSimulatedCluster,
} from '@internal/simulated-cluster';
import knexFactory, { Knex } from 'knex';
import { resolve } from 'node:path';
import {
  demoComponents,
  EXAMPLES,
  READ_ALL,
  READER,
} from '../__testUtils__/demo';
import { ReportStore } from '../store/ReportStore';
import type { ScanService } from './ScanService';
import {
  demoScanService,
  simulatedClusterDefinition,
} from '../__testUtils__/scanService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

// The test command starts a throwaway PostgreSQL; refuse to pass silently
// without it when it is expected.
if (
  process.env.KUBERNETES_SECURITY_REQUIRE_POSTGRES === '1' &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'PostgreSQL 15 was expected (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

const describeOnPostgres = databases.supports('POSTGRES_15')
  ? describe
  : describe.skip;

/**
 * A real outage of the plugin's database: PostgreSQL refuses new
 * connections to it and ends the open ones, as in a failover or restart.
 */
class DatabaseOutage {
  private constructor(
    private readonly admin: Knex,
    private readonly name: string,
  ) {}

  static async of(knex: Knex): Promise<DatabaseOutage> {
    const { rows } = await knex.raw('SELECT current_database() AS name');
    const admin = knexFactory({
      client: 'pg',
      connection:
        process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
      pool: { min: 0, max: 1 },
    });
    return new DatabaseOutage(admin, rows[0].name);
  }

  async begin() {
    await this.admin.raw('ALTER DATABASE ?? WITH ALLOW_CONNECTIONS false', [
      this.name,
    ]);
    await this.admin.raw(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
      [this.name],
    );
    // Termination is asynchronous: wait until the sessions are gone, so the
    // pool has seen its connections end before the database is back.
    for (;;) {
      const { rows } = await this.admin.raw(
        'SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
        [this.name],
      );
      if (rows[0].sessions === 0) return;
      await new Promise(wake => setTimeout(wake, 10));
    }
  }

  async end() {
    await this.admin.raw('ALTER DATABASE ?? WITH ALLOW_CONNECTIONS true', [
      this.name,
    ]);
  }

  async close() {
    await this.end();
    await this.admin.destroy();
  }
}

const DATABASE_DOWN =
  /terminat|not currently accepting connections|Connection terminated/;

describeOnPostgres('ScanService when the database goes away', () => {
  let prod: SimulatedCluster;
  let store: ReportStore;
  let service: ScanService;
  let outage: DatabaseOutage;
  let entityRefs: string[];
  let lastGood: Map<string, ClusterReport>;

  const scanProd = () => service.scanCluster(simulatedClusterDefinition(prod));

  async function prodReports() {
    const reports = new Map<string, ClusterReport>();
    for (const ref of entityRefs) {
      const report = (await store.getEntityReports(ref)).find(
        r => r.cluster === 'prod',
      );
      if (report) reports.set(ref, report);
    }
    return reports;
  }

  /** The next scan stores fresh reports with the same workloads, by itself. */
  async function expectRecovery() {
    const scan = await scanProd();
    expect(scan.succeededAt).toBe(scan.attemptedAt);
    const now = await prodReports();
    expect([...now.keys()].sort()).toEqual([...lastGood.keys()].sort());
    for (const [ref, before] of lastGood) {
      expect(now.get(ref)).toMatchObject({
        stale: false,
        scannedAt: scan.succeededAt,
        workloads: before.workloads,
      });
    }
    lastGood = now;
  }

  beforeAll(async () => {
    prod = await startSimulatedCluster({
      name: 'prod',
      version: 'v1.30.1',
      objects: await loadManifests(resolve(EXAMPLES, 'clusters/prod')),
      tokens: [{ token: 'reader', username: READER, rules: [READ_ALL] }],
    });
    const knex = await databases.init('POSTGRES_15');
    outage = await DatabaseOutage.of(knex);
    store = await ReportStore.create(mockServices.database({ knex }));
    service = demoScanService(store, {
      client: { pageSize: 50, requestTimeoutMs: 5_000 },
    });
    entityRefs = demoComponents().map(
      entity => `component:default/${entity.metadata.name}`,
    );
    await scanProd();
    lastGood = await prodReports();
    if (lastGood.size === 0) throw new Error('The first scan stored nothing');
  });

  afterAll(async () => {
    await outage.close();
    await prod.stop();
  });

  it('keeps the last good reports, marked stale, when the results cannot be saved', async () => {
    // Down exactly while this scan writes its results, back right after.
    const replace = store.replaceClusterReports.bind(store);
    jest
      .spyOn(store, 'replaceClusterReports')
      .mockImplementationOnce(async (...args) => {
        await outage.begin();
        try {
          return await replace(...args);
        } finally {
          await outage.end();
        }
      });
    const scan = await scanProd();
    expect(scan.succeededAt).toBeUndefined();

    const now = await prodReports();
    for (const [ref, before] of lastGood) {
      const after = now.get(ref)!;
      expect(after).toMatchObject({
        stale: true,
        scannedAt: before.scannedAt,
        workloads: before.workloads,
        errors: before.errors,
      });
      expect(after.staleReason).toMatch(/^The results could not be saved: /);
      expect(after.staleReason).toMatch(DATABASE_DOWN);
    }
    // The cluster's record: this attempt, and when the data shown was read.
    const [record] = await store.listClusterScans();
    expect(record.attemptedAt).toBe(scan.attemptedAt);
    expect(record.succeededAt).toBe(lastGood.values().next().value!.scannedAt);

    await expectRecovery();
  });

  it('fails the scan without losing anything while the database is away, and recovers once it is back', async () => {
    await outage.begin();
    try {
      await expect(scanProd()).rejects.toThrow(DATABASE_DOWN);
    } finally {
      await outage.end();
    }
    // Nothing could be written, so the last good reports are as they were.
    const now = await prodReports();
    expect(now).toEqual(lastGood);

    await expectRecovery();
  });
});
