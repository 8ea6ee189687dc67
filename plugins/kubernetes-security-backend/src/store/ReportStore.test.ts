import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  ClusterReport,
  gradeForScore,
} from '@internal/plugin-kubernetes-security-common';
import { ClusterScanRecord, ReportStore } from './ReportStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// The test command starts a throwaway PostgreSQL; refuse to pass silently
// on SQLite alone when it is expected.
if (
  process.env.KUBERNETES_SECURITY_REQUIRE_POSTGRES === '1' &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'PostgreSQL 15 was expected (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

function report(
  cluster: string,
  scannedAt: string,
  workloadNames: string[] = [],
  score = 100,
): ClusterReport {
  return {
    cluster,
    scannedAt,
    attemptedAt: scannedAt,
    stale: false,
    labelSelector: 'backstage.io/kubernetes-id=x',
    workloads: workloadNames.map(name => ({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      namespace: 'shop',
      name,
      labels: {},
      serviceAccountName: 'default',
      containers: [],
      pods: [],
      findings: [],
      score: { score, grade: gradeForScore(score), deductions: [] },
    })),
    namespaces: [],
    errors: [],
  };
}

function scan(
  cluster: string,
  attemptedAt: string,
  extra: Partial<ClusterScanRecord> = {},
): ClusterScanRecord {
  return {
    cluster,
    attemptedAt,
    succeededAt: attemptedAt,
    errors: [],
    durationMs: 5,
    entityCount: 1,
    workloadCount: 1,
    ...extra,
  };
}

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return ReportStore.create({
    getClient: async () => knex,
    migrations: { skip: false },
  } as any);
}

describe.each(databases.eachSupportedId())('ReportStore on %p', databaseId => {
  const t1 = '2026-11-27T10:00:00.000Z';
  const t2 = '2026-11-27T10:05:00.000Z';

  it('stores and reads the latest report per entity and cluster', async () => {
    const store = await createStore(databaseId);
    await store.replaceClusterReports(
      'prod',
      [
        {
          entityRef: 'component:default/a',
          report: report('prod', t1, ['a1']),
        },
        { entityRef: 'component:default/b', report: report('prod', t1) },
      ],
      scan('prod', t1),
    );
    await store.replaceClusterReports(
      'staging',
      [
        {
          entityRef: 'component:default/a',
          report: report('staging', t1, ['a2', 'a3'], 72),
        },
      ],
      scan('staging', t1),
    );
    await store.replaceClusterReports(
      'prod',
      [
        {
          entityRef: 'component:default/a',
          report: report('prod', t2, ['a1', 'a4']),
        },
      ],
      scan('prod', t2),
    );

    const reports = await store.getEntityReports('component:default/a');
    expect(
      reports.map(r => [r.cluster, r.scannedAt, r.workloads.map(w => w.name)]),
    ).toEqual([
      ['prod', t2, ['a1', 'a4']],
      ['staging', t1, ['a2', 'a3']],
    ]);
    // b is no longer located in prod: its row went with the newer scan.
    expect(await store.getEntityReports('component:default/b')).toEqual([]);
    expect(await store.listSummaries()).toEqual([
      {
        entityRef: 'component:default/a',
        clusters: ['prod', 'staging'],
        workloadCount: 4,
        errorCount: 0,
        stale: false,
        lastScannedAt: t2,
        // The weakest cluster's score.
        score: 72,
        grade: 'C',
      },
    ]);
  });

  it('keeps the last good result of a failed cluster, marked stale', async () => {
    const store = await createStore(databaseId);
    await store.replaceClusterReports(
      'prod',
      [
        {
          entityRef: 'component:default/a',
          report: report('prod', t1, ['a1']),
        },
      ],
      scan('prod', t1),
    );
    await store.markClusterStale(
      'prod',
      'Cannot reach 127.0.0.1:1: ECONNREFUSED',
      scan('prod', t2, {
        succeededAt: undefined,
        errors: [{ type: 'UNREACHABLE', message: 'down' }],
      }),
    );

    const [prod] = await store.getEntityReports('component:default/a');
    expect(prod).toMatchObject({
      cluster: 'prod',
      scannedAt: t1,
      attemptedAt: t2,
      stale: true,
      staleReason: 'Cannot reach 127.0.0.1:1: ECONNREFUSED',
    });
    expect(prod.workloads.map(w => w.name)).toEqual(['a1']);
    expect(await store.listClusterScans()).toEqual([
      scan('prod', t2, {
        succeededAt: t1,
        errors: [{ type: 'UNREACHABLE', message: 'down' }],
      }),
    ]);

    // The next successful scan clears the stale mark.
    await store.replaceClusterReports(
      'prod',
      [
        {
          entityRef: 'component:default/a',
          report: report('prod', t2, ['a1']),
        },
      ],
      scan('prod', t2),
    );
    expect(
      (await store.getEntityReports('component:default/a'))[0],
    ).toMatchObject({ stale: false, scannedAt: t2 });
  });

  it('prunes clusters no longer located once their last attempt is old enough', async () => {
    const store = await createStore(databaseId);
    const entry = (cluster: string, at: string) => ({
      entityRef: 'component:default/a',
      report: report(cluster, at, ['a1']),
    });
    await store.replaceClusterReports(
      'prod',
      [entry('prod', t1)],
      scan('prod', t1),
    );
    await store.replaceClusterReports(
      'old',
      [entry('old', t1)],
      scan('old', t1),
    );
    await store.replaceClusterReports(
      'recent',
      [entry('recent', t2)],
      scan('recent', t2),
    );

    const between = new Date('2026-11-27T10:02:00.000Z');
    expect(await store.pruneClusters(['prod'], between)).toEqual(['old']);
    expect(
      (await store.getEntityReports('component:default/a')).map(r => r.cluster),
    ).toEqual(['prod', 'recent']);
    expect((await store.listClusterScans()).map(s => s.cluster)).toEqual([
      'prod',
      'recent',
    ]);
    // Located clusters stay however old their data is.
    expect(await store.pruneClusters(['prod', 'recent'], new Date())).toEqual(
      [],
    );
    expect(await store.pruneClusters([], new Date())).toEqual([
      'prod',
      'recent',
    ]);
    expect(await store.listSummaries()).toEqual([]);
  });

  it('handles more entities than one statement may bind', async () => {
    const store = await createStore(databaseId);
    const many = Array.from({ length: 1200 }, (_, i) => ({
      entityRef: `component:default/svc-${i}`,
      report: report('prod', t1, ['w']),
    }));
    await store.replaceClusterReports('prod', many, scan('prod', t1));
    await store.replaceClusterReports(
      'prod',
      many.slice(0, 10),
      scan('prod', t2),
    );
    expect((await store.listSummaries()).length).toBe(10);
  });
});

describe('ReportStore when a pooled connection has died', () => {
  it('writes once more on a fresh connection, and only for a lost connection', async () => {
    const knex = await databases.init('SQLITE_3');
    await ReportStore.create({
      getClient: async () => knex,
      migrations: { skip: false },
    } as any);
    // The next transactions fail with these errors before reaching the database.
    const failures: Error[] = [];
    const flaky = new Proxy(knex, {
      get: (target, property) =>
        property === 'transaction' && failures.length
          ? async () => {
              throw failures.shift();
            }
          : Reflect.get(target, property),
    });
    const store = new ReportStore(flaky);
    const at = '2026-11-27T10:00:00.000Z';
    failures.push(new Error('Connection terminated unexpectedly'));
    await store.replaceClusterReports(
      'prod',
      [{ entityRef: 'component:default/a', report: report('prod', at, ['a']) }],
      scan('prod', at),
    );
    expect(await store.getEntityReports('component:default/a')).toHaveLength(1);

    failures.push(new Error('duplicate key value violates unique constraint'));
    await expect(
      store.markClusterStale('prod', 'gone', scan('prod', at)),
    ).rejects.toThrow('duplicate key');
  });
});
