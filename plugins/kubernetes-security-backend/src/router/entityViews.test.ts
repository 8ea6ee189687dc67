import { gunzipSync } from 'node:zlib';
import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  ClusterReport,
  ClusterStatus,
  EntityReport,
} from '@internal/plugin-kubernetes-security-common';
import { ClusterScanRecord, ReportStore } from '../store/ReportStore';
import { EntityViews } from './entityViews';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ENTITY = 'component:default/shop';

function report(cluster: string, scannedAt: string): ClusterReport {
  return {
    cluster,
    scannedAt,
    attemptedAt: scannedAt,
    stale: false,
    labelSelector: 'backstage.io/kubernetes-id=shop',
    workloads: [],
    namespaces: [],
    errors: [],
  };
}

function scan(cluster: string, attemptedAt: string): ClusterScanRecord {
  return {
    cluster,
    attemptedAt,
    succeededAt: attemptedAt,
    errors: [],
    durationMs: 5,
    entityCount: 1,
    workloadCount: 0,
    status: { cluster, attemptedAt } as unknown as ClusterStatus,
  };
}

const everyCluster = { all: true, has: () => true };
const only = (name: string) => ({ all: false, has: (c: string) => c === name });
const parse = (json: Buffer) => JSON.parse(json.toString()) as EntityReport;

describe('EntityViews', () => {
  async function storeWithTwoClusters() {
    const knex = await databases.init('SQLITE_3');
    const store = await ReportStore.create({
      getClient: async () => knex,
      migrations: { skip: false },
    } as never);
    for (const cluster of ['prod', 'staging']) {
      await store.replaceClusterReports(
        cluster,
        [
          {
            entityRef: ENTITY,
            report: report(cluster, '2026-12-01T00:00:00Z'),
          },
        ],
        scan(cluster, '2026-12-01T00:00:00Z'),
      );
    }
    return { knex, store };
  }

  it('renders the report once and reuses the same bytes, plain and gzip', async () => {
    const { store } = await storeWithTwoClusters();
    const read = jest.spyOn(store, 'getEntityReports');
    const views = new EntityViews(store);
    const first = await views.render(ENTITY, everyCluster);
    const second = await views.render(ENTITY, everyCluster);
    expect(second).toBe(first);
    expect(read).toHaveBeenCalledTimes(1);
    const body = parse(first.json);
    expect(body.entityRef).toBe(ENTITY);
    expect(body.clusters.map(c => c.cluster)).toEqual(['prod', 'staging']);
    expect(body.clusterStatus!.map(s => s.cluster)).toEqual([
      'prod',
      'staging',
    ]);
    expect(gunzipSync(first.gzip)).toEqual(first.json);
  });

  it('gives each set of visible cluster panels its own body and tag', async () => {
    const { store } = await storeWithTwoClusters();
    const views = new EntityViews(store);
    const all = await views.render(ENTITY, everyCluster);
    const prodOnly = await views.render(ENTITY, only('prod'));
    expect(parse(prodOnly.json).clusterStatus!.map(s => s.cluster)).toEqual([
      'prod',
    ]);
    // Findings stay; only the panels follow visibility.
    expect(parse(prodOnly.json).clusters).toHaveLength(2);
    expect(prodOnly.etag).not.toBe(all.etag);
  });

  it('renders anew as soon as a scan of this replica changes the store', async () => {
    const { store } = await storeWithTwoClusters();
    const views = new EntityViews(store);
    const before = await views.render(ENTITY, everyCluster);
    await store.markClusterStale(
      'prod',
      'connection refused',
      scan('prod', '2026-12-01T00:05:00Z'),
    );
    const after = await views.render(ENTITY, everyCluster);
    expect(after.etag).not.toBe(before.etag);
    expect(parse(after.json).clusters[0]).toMatchObject({
      cluster: 'prod',
      stale: true,
      staleReason: 'connection refused',
    });
  });

  it("sees another replica's writes within a second", async () => {
    const { knex, store } = await storeWithTwoClusters();
    const otherReplica = new ReportStore(knex);
    const views = new EntityViews(store);
    const before = await views.render(ENTITY, everyCluster);
    await otherReplica.replaceClusterReports(
      'staging',
      [],
      scan('staging', '2026-12-01T00:10:00Z'),
    );
    await new Promise(resolve => setTimeout(resolve, 1_100));
    const after = await views.render(ENTITY, everyCluster);
    expect(after.etag).not.toBe(before.etag);
    expect(parse(after.json).clusters.map(c => c.cluster)).toEqual(['prod']);
  });

  it('keeps no more than its byte budget', async () => {
    const { store } = await storeWithTwoClusters();
    await store.replaceClusterReports(
      'prod',
      [
        { entityRef: ENTITY, report: report('prod', '2026-12-01T00:00:00Z') },
        {
          entityRef: 'component:default/other',
          report: report('prod', '2026-12-01T00:00:00Z'),
        },
      ],
      scan('prod', '2026-12-01T00:20:00Z'),
    );
    const read = jest.spyOn(store, 'getEntityReports');
    // Room for about one entity's bytes.
    const views = new EntityViews(store, { maxBytes: 1500 });
    await views.render(ENTITY, everyCluster);
    await views.render('component:default/other', everyCluster);
    await views.render(ENTITY, everyCluster);
    expect(read).toHaveBeenCalledTimes(3);
  });
});
