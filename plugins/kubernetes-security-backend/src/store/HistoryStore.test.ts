import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterReport,
  entityScore,
  Grade,
  gradeForScore,
} from '@internal/plugin-kubernetes-security-common';
import type { Knex } from 'knex';
import { firstDayOfWindow, HistoryStore } from './HistoryStore';
import { cleanUpHistory, readRetentionDays } from './HistoryStoreRetention';
import { ReportStore } from './ReportStore';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

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
  score: number,
  grade: Grade = gradeForScore(score),
): ClusterReport {
  return {
    cluster,
    scannedAt,
    attemptedAt: scannedAt,
    stale: false,
    labelSelector: 'app=x',
    workloads: [
      {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        namespace: 'shop',
        name: 'w',
        labels: {},
        serviceAccountName: 'default',
        containers: [],
        pods: [],
        findings: [],
        score: { score, grade, deductions: [] },
      },
    ],
    namespaces: [],
    errors: [],
  };
}

const scan = (cluster: string, at: string) => ({
  cluster,
  attemptedAt: at,
  succeededAt: at,
  errors: [],
  durationMs: 1,
  entityCount: 1,
  workloadCount: 1,
});

async function createStores(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = { getClient: async () => knex, migrations: { skip: false } };
  const reports = await ReportStore.create(database as any);
  const history = await HistoryStore.create(database as any);
  return { knex, reports, history };
}

/** Runs a scan of `cluster` where each entity has the given score. */
async function scanned(
  stores: { reports: ReportStore; history: HistoryStore },
  cluster: string,
  at: string,
  scores: Record<string, number | [number, Grade]>,
) {
  await stores.reports.replaceClusterReports(
    cluster,
    Object.entries(scores).map(([name, value]) => {
      const [score, grade] = Array.isArray(value) ? value : [value];
      return {
        entityRef: `component:default/${name}`,
        report: report(cluster, at, score, grade),
      };
    }),
    scan(cluster, at),
  );
  await stores.history.record(at);
}

function countQueries(knex: Knex) {
  const queries: string[] = [];
  const listener = (q: { sql: string }) => queries.push(q.sql);
  knex.on('query', listener);
  return {
    queries,
    stop: () => knex.removeListener('query', listener),
  };
}

describe.each(databases.eachSupportedId())('HistoryStore on %p', databaseId => {
  const day1 = '2026-11-01T10:00:00.000Z';
  const day1Later = '2026-11-01T18:00:00.000Z';
  const day2 = '2026-11-02T10:00:00.000Z';

  it('gives a critical-capped cluster the same weight in the tab, the catalog chip, history and scorecards', async () => {
    const stores = await createStores(databaseId);
    // prod: a high score whose grade a critical finding caps at D;
    // staging: a lower score with a better grade.
    await scanned(stores, 'prod', day1, { a: [95, 'D'] });
    await scanned(stores, 'staging', day1, { a: 70 });
    const ref = 'component:default/a';
    const weakest = { score: 95, grade: 'D' };

    const tab = entityScore(await stores.reports.getEntityReports(ref));
    const chip = (await stores.reports.listSummaries()).find(
      s => s.entityRef === ref,
    );
    const [history] = await stores.history.getEntityHistory(ref, '2026-01-01');
    const {
      current: [scorecard],
    } = await stores.history.getScores([ref], '2026-01-01');
    for (const seen of [tab, chip, history, scorecard]) {
      expect(seen).toMatchObject(weakest);
    }
    expect(tab?.cluster).toBe('prod');
  });

  it("records each entity's weakest cluster once per day", async () => {
    const stores = await createStores(databaseId);
    await scanned(stores, 'prod', day1, { a: 95, b: 40 });
    // a is worse in staging; its grade is capped at D by a critical finding.
    await scanned(stores, 'staging', day1, { a: [92, 'D'] });
    expect(
      await stores.history.getEntityHistory(
        'component:default/a',
        '2026-01-01',
      ),
    ).toEqual([
      {
        entityRef: 'component:default/a',
        day: '2026-11-01',
        score: 92,
        grade: 'D',
      },
    ]);

    // A later scan that day overwrites; the next day adds a row.
    await scanned(stores, 'prod', day1Later, { a: 100, b: 70 });
    await scanned(stores, 'prod', day2, { a: 100, b: 85 });
    expect(
      await stores.history.getEntityHistory(
        'component:default/b',
        '2026-01-01',
      ),
    ).toEqual([
      {
        entityRef: 'component:default/b',
        day: '2026-11-01',
        score: 70,
        grade: 'C',
      },
      {
        entityRef: 'component:default/b',
        day: '2026-11-02',
        score: 85,
        grade: 'B',
      },
    ]);
    expect(
      await stores.history.getEntityHistory(
        'component:default/b',
        '2026-11-02',
      ),
    ).toHaveLength(1);
  });

  it('keeps a stale cluster in the day score, as the report does', async () => {
    const stores = await createStores(databaseId);
    await scanned(stores, 'prod', day1, { a: 100 });
    await scanned(stores, 'staging', day1, { a: 50 });
    await stores.reports.markClusterStale('staging', 'down', {
      ...scan('staging', day2),
      succeededAt: undefined,
    });
    await scanned(stores, 'prod', day2, { a: 100 });
    const { current, history } = await stores.history.getScores(
      ['component:default/a'],
      '2026-01-01',
    );
    expect(history.map(h => [h.day, h.score])).toEqual([
      ['2026-11-01', 50],
      ['2026-11-02', 50],
    ]);
    expect(current).toEqual([
      {
        entityRef: 'component:default/a',
        score: 50,
        grade: 'F',
        stale: true,
        lastScannedAt: day2,
      },
    ]);
  });

  it('reads current scores and history of many entities in one query', async () => {
    const stores = await createStores(databaseId);
    const many = Object.fromEntries(
      Array.from({ length: 1500 }, (_, i) => [`svc-${i}`, 50 + (i % 50)]),
    );
    await scanned(stores, 'prod', day1, many);
    await scanned(stores, 'prod', day2, many);
    const asked = Object.keys(many)
      .slice(0, 1200)
      .map(name => `component:default/${name}`);
    const counter = countQueries(stores.knex);
    const { current, history } = await stores.history.getScores(
      [...asked, 'component:default/never-scanned'],
      '2026-11-02',
    );
    counter.stop();
    expect(counter.queries).toHaveLength(1);
    expect(current).toHaveLength(1200);
    expect(history).toHaveLength(1200);
    expect(new Set(history.map(h => h.day))).toEqual(new Set(['2026-11-02']));
    expect(
      current.find(c => c.entityRef === 'component:default/svc-7'),
    ).toEqual({
      entityRef: 'component:default/svc-7',
      score: 57,
      grade: 'F',
      stale: false,
      lastScannedAt: day2,
    });
    expect(await stores.history.getScores([], '2026-01-01')).toEqual({
      current: [],
      history: [],
    });
  });

  it('treats hostile entity refs as data', async () => {
    const stores = await createStores(databaseId);
    await scanned(stores, 'prod', day1, { a: 90 });
    const { current } = await stores.history.getScores(
      ["component:default/a') or 1=1 --", '"]', 'component:default/a'],
      '2026-01-01',
    );
    expect(current.map(c => c.entityRef)).toEqual(['component:default/a']);
  });

  it('drops expired days and entities no longer in the catalog', async () => {
    const stores = await createStores(databaseId);
    await scanned(stores, 'prod', day1, { a: 90, gone: 60 });
    await scanned(stores, 'prod', day2, { a: 95, gone: 60 });
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'a', namespace: 'default' },
          spec: {},
        },
      ],
    });
    const removed = await cleanUpHistory(
      {
        history: stores.history,
        catalog,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        retentionDays: 1,
        entityKinds: ['Component'],
      },
      new Date(day2),
    );
    // day1 of a and gone expire, then gone's day2 goes with its entity.
    expect(removed).toEqual({ expiredRows: 2, removedEntities: 1 });
    expect(
      (
        await stores.history.getScores(
          ['component:default/a', 'component:default/gone'],
          '2026-01-01',
        )
      ).history.map(h => [h.entityRef, h.day]),
    ).toEqual([['component:default/a', '2026-11-02']]);
  });
});

describe('history retention config', () => {
  it('defaults to 90 days and rejects nonsense', () => {
    expect(readRetentionDays(new ConfigReader({}))).toBe(90);
    expect(
      readRetentionDays(
        new ConfigReader({
          kubernetesSecurity: { history: { retentionDays: 30 } },
        }),
      ),
    ).toBe(30);
    expect(() =>
      readRetentionDays(
        new ConfigReader({
          kubernetesSecurity: { history: { retentionDays: 0 } },
        }),
      ),
    ).toThrow(/retentionDays/);
  });

  it('computes the first day of the window', () => {
    expect(firstDayOfWindow(1, new Date('2026-11-02T23:59:00Z'))).toBe(
      '2026-11-02',
    );
    expect(firstDayOfWindow(90, new Date('2026-11-28T00:00:00Z'))).toBe(
      '2026-08-31',
    );
  });
});
