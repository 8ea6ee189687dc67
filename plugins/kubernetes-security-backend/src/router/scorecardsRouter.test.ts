import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  ClusterReport,
  TeamScorecardDetailResponse,
  TeamScorecardsResponse,
} from '@internal/plugin-kubernetes-security-common';
import { gradeForScore } from '@internal/plugin-kubernetes-security-common';
import express from 'express';
import request from 'supertest';
import { HistoryStore } from '../store/HistoryStore';
import { ReportStore } from '../store/ReportStore';
import { createScorecardsRouter } from './scorecardsRouter';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'team',
    profile: { displayName: `Team ${name}` },
    children: [],
  },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', title: name.toUpperCase() },
  spec: { type: 'service', owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

const entities = [
  group('platform'),
  group('infra', 'platform'),
  group('secret-team', 'platform'),
  component('node-agent', 'infra'),
  component('deployer', 'infra'),
  component('classified', 'secret-team'),
];

const OUTSIDER = 'user:default/outsider';

/**
 * The catalog answers as its permission framework would: the outsider may
 * not see the secret team nor its service.
 */
function catalogWithPermissions() {
  const credentialsOf = (options: unknown) =>
    (options as { credentials: BackstageCredentials }).credentials;
  const visibleTo = (credentials: BackstageCredentials) => {
    const principal = credentials.principal as { userEntityRef?: string };
    return catalogServiceMock({
      entities:
        principal.userEntityRef === OUTSIDER
          ? entities.filter(
              e => !['secret-team', 'classified'].includes(e.metadata.name),
            )
          : entities,
    });
  };
  return catalogServiceMock.mock({
    getEntities: async (req, options) =>
      visibleTo(credentialsOf(options)).getEntities(req, options),
    getEntityByRef: async (ref, options) =>
      visibleTo(credentialsOf(options)).getEntityByRef(ref, options),
  });
}

function report(cluster: string, at: string, score: number): ClusterReport {
  return {
    cluster,
    scannedAt: at,
    attemptedAt: at,
    stale: false,
    labelSelector: 'app=x',
    workloads: [
      {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        namespace: 'ns',
        name: 'w',
        labels: {},
        serviceAccountName: 'default',
        containers: [],
        pods: [],
        findings: [],
        score: { score, grade: gradeForScore(score), deductions: [] },
      },
    ],
    namespaces: [],
    errors: [],
  };
}

const today = new Date().toISOString();
const yesterday = new Date(Date.now() - 86_400_000).toISOString();

async function setup() {
  const knex = await databases.init('SQLITE_3');
  const database = { getClient: async () => knex, migrations: { skip: false } };
  const reports = await ReportStore.create(database as any);
  const history = await HistoryStore.create(database as any);
  const scores = async (at: string, values: Record<string, number>) => {
    await reports.replaceClusterReports(
      'prod',
      Object.entries(values).map(([name, score]) => ({
        entityRef: `component:default/${name}`,
        report: report('prod', at, score),
      })),
      {
        cluster: 'prod',
        attemptedAt: at,
        succeededAt: at,
        errors: [],
        durationMs: 1,
        entityCount: 3,
        workloadCount: 3,
      },
    );
    await history.record(at);
  };
  await scores(yesterday, { 'node-agent': 30, deployer: 80, classified: 10 });
  await scores(today, { 'node-agent': 40, deployer: 90, classified: 10 });

  const catalog = catalogWithPermissions();
  const app = express();
  app.use(
    createScorecardsRouter({
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      catalog,
      history,
      retentionDays: 60,
    }),
  );
  app.use(mockErrorHandler());
  return { app, catalog, knex };
}

describe('scorecards routes', () => {
  it('ranks the teams the caller may see, with their trend', async () => {
    const { app, catalog } = await setup();
    const response = await request(app)
      .get('/v1/scorecards/teams')
      .set('Authorization', mockCredentials.user.header(OUTSIDER));
    expect(response.status).toBe(200);
    const body = response.body as TeamScorecardsResponse;
    expect(body.days).toBe(30);
    // The secret team's F service drags nobody down for this caller.
    expect(
      body.teams.map(t => [t.title, t.rank, t.averageScore, t.grade]),
    ).toEqual([
      ['Team infra', 1, 65, 'D'],
      ['Team platform', 2, 65, 'D'],
    ]);
    const infra = body.teams[0];
    expect(infra.worstServices.map(s => s.title)).toEqual([
      'NODE-AGENT',
      'DEPLOYER',
    ]);
    expect(infra.trend.map(p => p.averageScore)).toEqual([55, 65]);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ userEntityRef: OUTSIDER }),
        }),
      }),
    );
  });

  it('includes sub-teams a caller may see in the roll-up', async () => {
    const { app } = await setup();
    const response = await request(app)
      .get('/v1/scorecards/teams/default/platform')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    const body = response.body as TeamScorecardDetailResponse;
    expect(body.team.serviceCount).toBe(3);
    expect(body.team.distribution).toEqual({ A: 1, B: 0, C: 0, D: 0, F: 2 });
    expect(body.services.map(s => s.entityRef)).toEqual([
      'component:default/classified',
      'component:default/node-agent',
      'component:default/deployer',
    ]);
    expect(body.children.map(c => c.teamRef)).toEqual([
      'group:default/infra',
      'group:default/secret-team',
    ]);
  });

  it('answers 404 for a team the caller may not see, as for an unknown one', async () => {
    const { app } = await setup();
    for (const name of ['secret-team', 'no-such-team']) {
      const response = await request(app)
        .get(`/v1/scorecards/teams/default/${name}`)
        .set('Authorization', mockCredentials.user.header(OUTSIDER));
      expect(response.status).toBe(404);
    }
  });

  it("serves an entity's history only to callers who may read it", async () => {
    const { app } = await setup();
    const allowed = await request(app)
      .get('/v1/entities/component/default/node-agent/history?days=7')
      .set('Authorization', mockCredentials.user.header(OUTSIDER));
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({
      entityRef: 'component:default/node-agent',
      days: 7,
      points: [
        { day: yesterday.slice(0, 10), score: 30, grade: 'F' },
        { day: today.slice(0, 10), score: 40, grade: 'F' },
      ],
    });
    const hidden = await request(app)
      .get('/v1/entities/component/default/classified/history')
      .set('Authorization', mockCredentials.user.header(OUTSIDER));
    expect(hidden.status).toBe(404);
  });

  it('rejects a window beyond the retention, and anonymous callers', async () => {
    const { app } = await setup();
    for (const days of ['61', '0', 'abc', '1.5']) {
      const response = await request(app)
        .get(`/v1/scorecards/teams?days=${days}`)
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(400);
    }
    expect((await request(app).get('/v1/scorecards/teams')).status).toBe(401);
  });

  it('reads the database once per page view, whatever the number of teams', async () => {
    const { app, knex } = await setup();
    const queries: string[] = [];
    knex.on('query', (q: { sql: string }) => queries.push(q.sql));
    await request(app)
      .get('/v1/scorecards/teams')
      .set('Authorization', mockCredentials.user.header());
    expect(queries).toHaveLength(1);
  });
});
