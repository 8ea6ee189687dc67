import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CurrentScore,
  DailyScore,
  Grade,
  weakestScore,
} from '@internal/plugin-kubernetes-security-common';
import type { Knex } from 'knex';
import { migrateDatabase } from './migrateDatabase';

const HISTORY = 'kubernetes_security_score_history';
// Read only: ReportStore owns it. Its score columns exist for aggregates.
const REPORTS = 'kubernetes_security_cluster_reports';

// Keeps each statement's bound parameters well under SQLite's limit.
const CHUNK = 200;

/** `YYYY-MM-DD` (UTC) of an ISO time. */
export function dayOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** The first day of a window of `days` days ending on `now`'s day. */
export function firstDayOfWindow(days: number, now: Date = new Date()): string {
  return dayOf(new Date(now.getTime() - (days - 1) * 86_400_000).toISOString());
}

interface ScoreRow {
  entity_ref: string;
  score: number | string;
  grade: string;
}

/**
 * Each entity's score per day, and the aggregates scorecards need, in the
 * plugin's database (SQLite or PostgreSQL).
 */
export class HistoryStore {
  static async create(database: DatabaseService): Promise<HistoryStore> {
    const knex = await migrateDatabase(database);
    return new HistoryStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /**
   * `entity_ref in (…)` over a list bound as one parameter (a JSON array),
   * so a query over thousands of entities stays one statement on both
   * databases, whatever their limit on bound parameters.
   */
  private refsIn(refs: string[]): [string, string[]] {
    const list =
      this.knex.client.dialect === 'postgresql'
        ? 'select jsonb_array_elements_text(?::jsonb)'
        : 'select value from json_each(?)';
    return [`entity_ref in (${list})`, [JSON.stringify(refs)]];
  }

  /**
   * Writes today's row of every scanned entity from the current reports:
   * its weakest cluster, stale clusters included, as on its report. Called
   * after each successful cluster scan; a later scan the same day overwrites.
   */
  async record(recordedAt: string): Promise<void> {
    const day = dayOf(recordedAt);
    await this.knex.transaction(async tx => {
      const rows: ScoreRow[] = await tx(REPORTS)
        .whereNotNull('score')
        .whereNotNull('grade')
        .select('entity_ref', 'score', 'grade');
      const byEntity = new Map<string, { score: number; grade: Grade }[]>();
      for (const row of rows) {
        const scores = byEntity.get(row.entity_ref) ?? [];
        scores.push({ score: Number(row.score), grade: row.grade as Grade });
        byEntity.set(row.entity_ref, scores);
      }
      const inserts = [...byEntity.entries()].map(([entityRef, scores]) => {
        const worst = weakestScore(scores)!;
        return {
          entity_ref: entityRef,
          day,
          score: worst.score,
          grade: worst.grade,
          recorded_at: recordedAt,
        };
      });
      for (let i = 0; i < inserts.length; i += CHUNK) {
        await tx(HISTORY)
          .insert(inserts.slice(i, i + CHUNK))
          .onConflict(['entity_ref', 'day'])
          .merge();
      }
    });
  }

  /** One entity's daily scores from `sinceDay` on, oldest first. */
  async getEntityHistory(
    entityRef: string,
    sinceDay: string,
  ): Promise<DailyScore[]> {
    const rows: (ScoreRow & { day: string })[] = await this.knex(HISTORY)
      .where({ entity_ref: entityRef })
      .andWhere('day', '>=', sinceDay)
      .orderBy('day')
      .select('entity_ref', 'day', 'score', 'grade');
    return rows.map(toDailyScore);
  }

  /**
   * The current score of each of these entities and their daily history
   * since `sinceDay`, in one query (whatever the number of entities).
   */
  async getScores(
    entityRefs: string[],
    sinceDay: string,
  ): Promise<{ current: CurrentScore[]; history: DailyScore[] }> {
    if (entityRefs.length === 0) return { current: [], history: [] };
    const { knex } = this;
    const rows: {
      source: 'history' | 'current';
      entity_ref: string;
      day: string | null;
      score: number | string;
      grade: string;
      stale: boolean | number | null;
      scanned_at: string | null;
    }[] = await knex
      .select(
        knex.raw("'history' as source"),
        'entity_ref',
        'day',
        'score',
        'grade',
        knex.raw('null as stale'),
        knex.raw('null as scanned_at'),
      )
      .from(HISTORY)
      .whereRaw(...this.refsIn(entityRefs))
      .andWhere('day', '>=', sinceDay)
      .unionAll(query =>
        query
          .select(
            knex.raw("'current' as source"),
            'entity_ref',
            knex.raw('null as day'),
            'score',
            'grade',
            'stale',
            'scanned_at',
          )
          .from(REPORTS)
          .whereRaw(...this.refsIn(entityRefs))
          .whereNotNull('score')
          .whereNotNull('grade'),
      );

    const history: DailyScore[] = [];
    const clusters = new Map<string, CurrentScore[]>();
    for (const row of rows) {
      if (row.source === 'history') {
        history.push(toDailyScore({ ...row, day: row.day! }));
        continue;
      }
      const list = clusters.get(row.entity_ref) ?? [];
      list.push({
        entityRef: row.entity_ref,
        score: Number(row.score),
        grade: row.grade as Grade,
        stale: Boolean(row.stale),
        ...(row.scanned_at ? { lastScannedAt: row.scanned_at } : {}),
      });
      clusters.set(row.entity_ref, list);
    }
    const current = [...clusters.values()].map(list => {
      const worst = weakestScore(list)!;
      const lastScannedAt = list
        .map(c => c.lastScannedAt)
        .filter((t): t is string => Boolean(t))
        .sort()
        .at(-1);
      return {
        ...worst,
        stale: list.some(c => c.stale),
        ...(lastScannedAt ? { lastScannedAt } : {}),
      };
    });
    history.sort(
      (a, b) =>
        a.day.localeCompare(b.day) || a.entityRef.localeCompare(b.entityRef),
    );
    return { current, history };
  }

  /** Retention: drops the days before `firstKeptDay`; returns the count. */
  async deleteBefore(firstKeptDay: string): Promise<number> {
    return this.knex(HISTORY).where('day', '<', firstKeptDay).delete();
  }

  /** Drops the history of entities no longer in the catalog; returns their count. */
  async deleteEntitiesExcept(keep: Set<string>): Promise<number> {
    const stored: { entity_ref: string }[] = await this.knex(HISTORY).distinct(
      'entity_ref',
    );
    const gone = stored.map(r => r.entity_ref).filter(ref => !keep.has(ref));
    for (let i = 0; i < gone.length; i += CHUNK) {
      await this.knex(HISTORY)
        .whereIn('entity_ref', gone.slice(i, i + CHUNK))
        .delete();
    }
    return gone.length;
  }
}

function toDailyScore(row: ScoreRow & { day: string }): DailyScore {
  return {
    entityRef: row.entity_ref,
    day: row.day,
    score: Number(row.score),
    grade: row.grade as Grade,
  };
}
