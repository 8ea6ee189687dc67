import {
  buildTeamScorecardDetail,
  buildTeamScorecards,
  CurrentScore,
  DailyScore,
  groupHierarchy,
  OrgGroup,
  OwnedService,
} from './scorecards';
import { gradeForScore } from './scoring';

const group = (
  name: string,
  parent?: string,
  children: string[] = [],
): OrgGroup => ({
  ref: `group:default/${name}`,
  title: name,
  parentRefs: parent ? [`group:default/${parent}`] : [],
  childRefs: children.map(c => `group:default/${c}`),
});

const service = (name: string, owner: string): OwnedService => ({
  ref: `component:default/${name}`,
  title: name.toUpperCase(),
  ownerRefs: [`group:default/${owner}`],
});

const score = (name: string, value: number, grade = gradeForScore(value)) =>
  ({
    entityRef: `component:default/${name}`,
    score: value,
    grade,
    stale: false,
  } satisfies CurrentScore);

const point = (name: string, day: string, value: number): DailyScore => ({
  entityRef: `component:default/${name}`,
  day,
  score: value,
  grade: gradeForScore(value),
});

// platform ─┬─ infra        (relation declared on the parent only)
//           └─ observability (relation declared on the child only)
// product  ─── payments
const groups = [
  group('platform', undefined, ['infra']),
  group('infra'),
  group('observability', 'platform'),
  group('product', undefined, ['payments']),
  group('payments', 'product'),
];
const services = [
  service('node-agent', 'infra'),
  service('deployer', 'infra'),
  service('metrics', 'observability'),
  service('ledger', 'payments'),
  service('api', 'payments'),
  service('unscanned', 'payments'),
];
const current = [
  score('node-agent', 35),
  score('deployer', 84),
  score('metrics', 95, 'D'), // capped by a critical finding
  score('ledger', 92),
  score('api', 100),
];

describe('team scorecards', () => {
  it('rolls services up through the hierarchy, whichever side declares it', () => {
    const { subtrees, children, parents } = groupHierarchy(groups);
    expect([...subtrees.get('group:default/platform')!].sort()).toEqual([
      'group:default/infra',
      'group:default/observability',
      'group:default/platform',
    ]);
    expect(children.get('group:default/platform')).toEqual([
      'group:default/infra',
      'group:default/observability',
    ]);
    expect(parents.get('group:default/infra')).toBe('group:default/platform');
  });

  it('cuts cycles and ignores groups the caller cannot see', () => {
    const cyclic = [group('a', 'b'), group('b', 'a', ['hidden'])];
    const { subtrees } = groupHierarchy(cyclic);
    expect([...subtrees.get('group:default/a')!].sort()).toEqual([
      'group:default/a',
      'group:default/b',
    ]);
  });

  it('ranks teams by average score with distribution and worst services', () => {
    const cards = buildTeamScorecards({
      groups,
      services,
      current,
      history: [],
    });
    expect(cards.map(c => [c.title, c.rank, c.averageScore, c.grade])).toEqual([
      ['payments', 1, 96, 'A'],
      ['product', 2, 96, 'A'],
      ['observability', 3, 95, 'A'],
      ['platform', 4, 71, 'C'],
      ['infra', 5, 60, 'D'],
    ]);
    const platform = cards.find(c => c.title === 'platform')!;
    expect(platform.serviceCount).toBe(3);
    expect(platform.distribution).toEqual({ A: 0, B: 1, C: 0, D: 1, F: 1 });
    // Worst first: F before D, though the D has the higher score.
    expect(platform.worstServices.map(s => [s.title, s.grade])).toEqual([
      ['NODE-AGENT', 'F'],
      ['METRICS', 'D'],
      ['DEPLOYER', 'B'],
    ]);
    const payments = cards.find(c => c.title === 'payments')!;
    expect([payments.serviceCount, payments.scannedCount]).toEqual([3, 2]);
  });

  it('leaves teams without scanned services unranked, last', () => {
    const cards = buildTeamScorecards({
      groups: [...groups, group('design')],
      services,
      current,
      history: [],
    });
    expect(cards.at(-1)).toMatchObject({
      title: 'design',
      serviceCount: 0,
      scannedCount: 0,
    });
    expect(cards.at(-1)!.rank).toBeUndefined();
    expect(cards.at(-1)!.grade).toBeUndefined();
  });

  it('builds a daily trend over the team services', () => {
    const [infra] = buildTeamScorecards({
      groups: [group('infra')],
      services,
      current,
      history: [
        point('deployer', '2026-11-02', 80),
        point('node-agent', '2026-11-01', 20),
        point('deployer', '2026-11-01', 70),
        point('ledger', '2026-11-01', 100), // another team's
      ],
    });
    expect(infra.trend).toEqual([
      {
        day: '2026-11-01',
        averageScore: 45,
        services: 2,
        distribution: { A: 0, B: 0, C: 1, D: 0, F: 1 },
      },
      {
        day: '2026-11-02',
        averageScore: 80,
        services: 1,
        distribution: { A: 0, B: 1, C: 0, D: 0, F: 0 },
      },
    ]);
  });

  it('details one team with every service and its sub-teams', () => {
    const detail = buildTeamScorecardDetail(
      { groups, services, current, history: [] },
      'group:default/product',
    )!;
    expect(detail.team.title).toBe('product');
    expect(detail.services.map(s => s.entityRef)).toEqual([
      'component:default/ledger',
      'component:default/api',
      'component:default/unscanned',
    ]);
    expect(detail.children.map(c => c.teamRef)).toEqual([
      'group:default/payments',
    ]);
    expect(
      buildTeamScorecardDetail(
        { groups, services, current, history: [] },
        'group:default/nope',
      ),
    ).toBeUndefined();
  });
});
