/**
 * Team scorecards: each team's services (Components it owns, directly or
 * through its sub-teams), their grades, and the trend over time. Pure: the
 * backend feeds it catalog data and stored scores; the frontend renders the
 * result.
 */
import { compareWeakness, gradeForScore } from './scoring';
import type { Grade } from './scoreModel';

export const GRADES: Grade[] = ['A', 'B', 'C', 'D', 'F'];

/** One entity's score on one day (its weakest cluster that day). */
export interface DailyScore {
  entityRef: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  score: number;
  grade: Grade;
}

export interface EntityHistoryResponse {
  entityRef: string;
  days: number;
  points: Omit<DailyScore, 'entityRef'>[];
}

/** The entity's current score over every cluster it was found in. */
export interface CurrentScore {
  entityRef: string;
  score: number;
  grade: Grade;
  /** Some of it comes from a cluster whose last scan failed. */
  stale: boolean;
  lastScannedAt?: string;
}

/** A Group as the roll-up needs it, from the catalog's relations. */
export interface OrgGroup {
  ref: string;
  title: string;
  /** From `childOf`. */
  parentRefs: string[];
  /** From `parentOf`. */
  childRefs: string[];
}

/** A service (Component) and its owners, from `ownedBy`. */
export interface OwnedService {
  ref: string;
  title?: string;
  ownerRefs: string[];
}

export interface TeamServiceScore extends CurrentScore {
  title?: string;
}

export interface TeamTrendPoint {
  day: string;
  averageScore: number;
  /** Services with a score that day. */
  services: number;
  distribution: Record<Grade, number>;
}

export interface TeamScorecard {
  teamRef: string;
  title: string;
  parentRef?: string;
  childRefs: string[];
  /** 1 = best; absent for teams without a scanned service. */
  rank?: number;
  /** Services the team owns, its sub-teams' included. */
  serviceCount: number;
  /** Of those, the ones with a current score. */
  scannedCount: number;
  /** Mean of the scanned services' scores, rounded. */
  averageScore?: number;
  /** The grade of the average score. */
  grade?: Grade;
  distribution: Record<Grade, number>;
  /** Up to `WORST_SERVICES`, worst first. */
  worstServices: TeamServiceScore[];
  trend: TeamTrendPoint[];
}

export interface TeamScorecardsResponse {
  days: number;
  generatedAt: string;
  teams: TeamScorecard[];
}

export interface TeamScorecardDetailResponse {
  days: number;
  generatedAt: string;
  team: TeamScorecard;
  /** Every service of the team, worst first; unscanned ones last. */
  services: (TeamServiceScore | { entityRef: string; title?: string })[];
  /** The direct sub-teams' scorecards. */
  children: TeamScorecard[];
}

export const WORST_SERVICES = 3;

/** Weaker first, then by name. */
export function compareServiceScores(
  a: TeamServiceScore,
  b: TeamServiceScore,
): number {
  return compareWeakness(a, b) || a.entityRef.localeCompare(b.entityRef);
}

export function emptyDistribution(): Record<Grade, number> {
  return { A: 0, B: 0, C: 0, D: 0, F: 0 };
}

export interface GroupHierarchy {
  /** Each group's whole subtree, itself included. */
  subtrees: Map<string, Set<string>>;
  /** Each group's direct sub-teams, sorted. */
  children: Map<string, string[]>;
  /** Each group's parent, when it has a visible one. */
  parents: Map<string, string>;
}

/**
 * The group hierarchy, following `parentOf` and `childOf` alike so one-sided
 * relations still roll up. Only groups in the list count (the caller may not
 * see the others), and cycles are cut.
 */
export function groupHierarchy(groups: OrgGroup[]): GroupHierarchy {
  const known = new Set(groups.map(g => g.ref));
  const childSets = new Map<string, Set<string>>();
  const parents = new Map<string, string>();
  const link = (parent: string, child: string) => {
    if (parent === child || !known.has(parent) || !known.has(child)) return;
    const set = childSets.get(parent) ?? new Set<string>();
    set.add(child);
    childSets.set(parent, set);
    if (!parents.has(child)) parents.set(child, parent);
  };
  for (const group of groups) {
    group.parentRefs.forEach(parent => link(parent, group.ref));
    group.childRefs.forEach(child => link(group.ref, child));
  }
  const subtrees = new Map<string, Set<string>>();
  for (const group of groups) {
    const seen = new Set<string>([group.ref]);
    const queue = [group.ref];
    while (queue.length > 0) {
      for (const child of childSets.get(queue.pop()!) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          queue.push(child);
        }
      }
    }
    subtrees.set(group.ref, seen);
  }
  const children = new Map(
    [...childSets.entries()].map(([ref, set]) => [ref, [...set].sort()]),
  );
  return { subtrees, children, parents };
}

function trendOf(serviceRefs: Set<string>, history: DailyScore[]) {
  const byDay = new Map<string, DailyScore[]>();
  for (const point of history) {
    if (!serviceRefs.has(point.entityRef)) continue;
    byDay.set(point.day, [...(byDay.get(point.day) ?? []), point]);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, points]): TeamTrendPoint => {
      const distribution = emptyDistribution();
      points.forEach(p => distribution[p.grade]++);
      return {
        day,
        averageScore: Math.round(
          points.reduce((sum, p) => sum + p.score, 0) / points.length,
        ),
        services: points.length,
        distribution,
      };
    });
}

/** The scorecard of one team over the services of its subtree. */
function scorecard(
  group: OrgGroup,
  hierarchy: GroupHierarchy,
  services: OwnedService[],
  current: Map<string, CurrentScore>,
  history: DailyScore[],
): { card: TeamScorecard; scores: TeamServiceScore[]; owned: OwnedService[] } {
  const subtree = hierarchy.subtrees.get(group.ref) ?? new Set([group.ref]);
  const owned = services.filter(s => s.ownerRefs.some(o => subtree.has(o)));
  const scores = owned
    .flatMap(s => {
      const score = current.get(s.ref);
      return score
        ? [{ ...score, ...(s.title ? { title: s.title } : {}) }]
        : [];
    })
    .sort(compareServiceScores);
  const distribution = emptyDistribution();
  scores.forEach(s => distribution[s.grade]++);
  const averageScore = scores.length
    ? Math.round(scores.reduce((sum, s) => sum + s.score, 0) / scores.length)
    : undefined;
  const parentRef = hierarchy.parents.get(group.ref);
  return {
    card: {
      teamRef: group.ref,
      title: group.title,
      ...(parentRef ? { parentRef } : {}),
      childRefs: hierarchy.children.get(group.ref) ?? [],
      serviceCount: owned.length,
      scannedCount: scores.length,
      ...(averageScore !== undefined
        ? { averageScore, grade: gradeForScore(averageScore) }
        : {}),
      distribution,
      worstServices: scores.slice(0, WORST_SERVICES),
      trend: trendOf(new Set(owned.map(s => s.ref)), history),
    },
    scores,
    owned,
  };
}

/**
 * Ranks teams: the higher average first, then fewer D and F services, then
 * by name. Teams without a scanned service come last, unranked.
 */
export function rankTeams(cards: TeamScorecard[]): TeamScorecard[] {
  const poor = (c: TeamScorecard) => c.distribution.D + c.distribution.F;
  const sorted = [...cards].sort((a, b) => {
    if (a.averageScore === undefined || b.averageScore === undefined) {
      if (a.averageScore !== b.averageScore)
        return a.averageScore === undefined ? 1 : -1;
      return a.title.localeCompare(b.title);
    }
    return (
      b.averageScore - a.averageScore ||
      poor(a) - poor(b) ||
      a.title.localeCompare(b.title)
    );
  });
  let rank = 0;
  return sorted.map(card =>
    card.averageScore === undefined ? card : { ...card, rank: ++rank },
  );
}

export interface ScorecardInput {
  groups: OrgGroup[];
  services: OwnedService[];
  current: CurrentScore[];
  history: DailyScore[];
}

/** Every team's scorecard, ranked. */
export function buildTeamScorecards(input: ScorecardInput): TeamScorecard[] {
  const hierarchy = groupHierarchy(input.groups);
  const current = new Map(input.current.map(c => [c.entityRef, c]));
  return rankTeams(
    input.groups.map(
      group =>
        scorecard(group, hierarchy, input.services, current, input.history)
          .card,
    ),
  );
}

/** One team's scorecard with all its services and its direct sub-teams. */
export function buildTeamScorecardDetail(
  input: ScorecardInput,
  teamRef: string,
):
  | Pick<TeamScorecardDetailResponse, 'team' | 'services' | 'children'>
  | undefined {
  const ranked = buildTeamScorecards(input);
  const team = ranked.find(card => card.teamRef === teamRef);
  const group = input.groups.find(g => g.ref === teamRef);
  if (!team || !group) return undefined;
  const current = new Map(input.current.map(c => [c.entityRef, c]));
  const { scores, owned } = scorecard(
    group,
    groupHierarchy(input.groups),
    input.services,
    current,
    [],
  );
  const scanned = new Set(scores.map(s => s.entityRef));
  return {
    team,
    services: [
      ...scores,
      ...owned
        .filter(s => !scanned.has(s.ref))
        .map(s => ({
          entityRef: s.ref,
          ...(s.title ? { title: s.title } : {}),
        }))
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
    ],
    children: ranked.filter(card => team.childRefs.includes(card.teamRef)),
  };
}
