import type {
  TeamScorecard,
  TeamScorecardDetailResponse,
  TeamScorecardsResponse,
} from '@internal/plugin-kubernetes-security-common';

const trend = (scores: number[]) =>
  scores.map((score, i) => ({
    day: `2026-11-${String(20 + i).padStart(2, '0')}`,
    averageScore: score,
    services: 2,
    distribution: { A: 1, B: 0, C: 0, D: 0, F: 1 },
  }));

export const payments: TeamScorecard = {
  teamRef: 'group:default/team-payments',
  title: 'Payments',
  parentRef: 'group:default/product',
  childRefs: [],
  rank: 1,
  serviceCount: 2,
  scannedCount: 2,
  averageScore: 96,
  grade: 'A',
  distribution: { A: 2, B: 0, C: 0, D: 0, F: 0 },
  worstServices: [
    {
      entityRef: 'component:default/payments-ledger',
      title: 'Payments Ledger',
      score: 92,
      grade: 'A',
      stale: false,
    },
  ],
  trend: trend([90, 94, 96]),
};

export const infra: TeamScorecard = {
  teamRef: 'group:default/team-infra',
  title: 'Infrastructure',
  parentRef: 'group:default/platform',
  childRefs: [],
  rank: 2,
  serviceCount: 3,
  scannedCount: 2,
  averageScore: 38,
  grade: 'F',
  distribution: { A: 0, B: 1, C: 0, D: 0, F: 1 },
  worstServices: [
    {
      entityRef: 'component:default/node-agent',
      title: 'Node Agent',
      score: 0,
      grade: 'F',
      stale: true,
    },
    {
      entityRef: 'component:default/ci-deployer',
      score: 84,
      grade: 'B',
      stale: false,
    },
  ],
  trend: trend([40, 38]),
};

export const design: TeamScorecard = {
  teamRef: 'group:default/design',
  title: 'Design',
  childRefs: [],
  serviceCount: 0,
  scannedCount: 0,
  distribution: { A: 0, B: 0, C: 0, D: 0, F: 0 },
  worstServices: [],
  trend: [],
};

export const scorecards: TeamScorecardsResponse = {
  days: 30,
  generatedAt: '2026-11-28T10:00:00.000Z',
  teams: [payments, infra, design],
};

export const platformDetail: TeamScorecardDetailResponse = {
  days: 30,
  generatedAt: '2026-11-28T10:00:00.000Z',
  team: {
    ...infra,
    teamRef: 'group:default/platform',
    title: 'Platform',
    parentRef: undefined,
    childRefs: ['group:default/team-infra'],
    rank: 3,
  },
  services: [
    ...infra.worstServices.map(s => ({
      ...s,
      lastScannedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    })),
    { entityRef: 'component:default/windows-log-collector' },
  ],
  children: [infra],
};
