import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ClusterReport,
  ClusterStatus,
  EntityReportSummary,
  entityScore,
  Grade,
  ScanError,
  weakestScore,
} from '@internal/plugin-kubernetes-security-common';
import type { Knex } from 'knex';
import { migrateDatabase } from './migrateDatabase';

const REPORTS = 'kubernetes_security_cluster_reports';
const SCANS = 'kubernetes_security_cluster_scans';

export interface ClusterScanRecord {
  cluster: string;
  attemptedAt: string;
  succeededAt?: string;
  errors: ScanError[];
  durationMs: number;
  entityCount: number;
  workloadCount: number;
  /** The API server's `/version` gitVersion. */
  gitVersion?: string;
  /** The cluster panel of this attempt. */
  status?: ClusterStatus;
}

interface ReportRow {
  entity_ref: string;
  cluster: string;
  report: string;
  scanned_at: string;
  attempted_at: string;
  stale: boolean | number;
  stale_reason: string | null;
}

function toClusterReport(row: ReportRow): ClusterReport {
  const report = JSON.parse(row.report) as ClusterReport;
  return {
    ...report,
    scannedAt: row.scanned_at,
    attemptedAt: row.attempted_at,
    stale: Boolean(row.stale),
    ...(row.stale_reason ? { staleReason: row.stale_reason } : {}),
  };
}

/** The entity's weakest workload in this cluster, kept in columns for summaries. */
function clusterScore(report: ClusterReport): {
  score: number | null;
  grade: string | null;
} {
  const weakest = entityScore([report]);
  return { score: weakest?.score ?? null, grade: weakest?.grade ?? null };
}

/**
 * A connection that died under the pool (a failover, a restart, an idle
 * connection ended by the server) fails the transaction on it as a whole,
 * so trying it once more on a fresh connection is safe.
 */
function isLostConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  return (
    ['57P01', '57P02', 'ECONNRESET', 'EPIPE'].includes(String(code)) ||
    /Connection terminated|terminating connection/i.test(String(message))
  );
}

// Keeps each statement's bound parameters well under SQLite's limit.
const CHUNK = 200;

/** Reports in the plugin's own database (SQLite or PostgreSQL). */
export class ReportStore {
  static async create(database: DatabaseService): Promise<ReportStore> {
    const knex = await migrateDatabase(database);
    return new ReportStore(knex);
  }

  readonly #changeListeners: (() => void)[] = [];

  constructor(private readonly knex: Knex) {}

  /** Called after every committed change of reports or scan records. */
  onChange(listener: () => void): void {
    this.#changeListeners.push(listener);
  }

  #changed() {
    for (const listener of this.#changeListeners) listener();
  }

  async #transaction<T>(work: (tx: Knex.Transaction) => Promise<T>) {
    try {
      return await this.knex.transaction(work);
    } catch (error) {
      if (!isLostConnection(error)) throw error;
      return this.knex.transaction(work);
    }
  }

  /**
   * Replaces everything known about one cluster with a successful scan's
   * result, in one transaction: entities no longer located there lose their
   * row, so deleted or re-annotated entities do not linger.
   */
  async replaceClusterReports(
    cluster: string,
    reports: { entityRef: string; report: ClusterReport }[],
    scan: ClusterScanRecord,
  ): Promise<void> {
    await this.#transaction(async tx => {
      const keep = new Set(reports.map(r => r.entityRef));
      const existing: { entity_ref: string }[] = await tx(REPORTS)
        .where({ cluster })
        .select('entity_ref');
      const gone = existing
        .map(r => r.entity_ref)
        .filter(ref => !keep.has(ref));
      for (let i = 0; i < gone.length; i += CHUNK) {
        await tx(REPORTS)
          .where({ cluster })
          .whereIn('entity_ref', gone.slice(i, i + CHUNK))
          .delete();
      }
      const rows = reports.map(({ entityRef, report }) => ({
        entity_ref: entityRef,
        cluster,
        report: JSON.stringify(report),
        scanned_at: report.scannedAt,
        attempted_at: report.attemptedAt,
        stale: false,
        stale_reason: null,
        workload_count: report.workloads.length,
        error_count: report.errors.length,
        ...clusterScore(report),
      }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx(REPORTS)
          .insert(rows.slice(i, i + CHUNK))
          .onConflict(['entity_ref', 'cluster'])
          .merge();
      }
      await this.writeScan(tx, scan);
    });
    this.#changed();
  }

  /** A failed scan keeps the last good data, marked stale with the reason. */
  async markClusterStale(
    cluster: string,
    reason: string,
    scan: ClusterScanRecord,
  ): Promise<void> {
    await this.#transaction(async tx => {
      await tx(REPORTS).where({ cluster }).update({
        stale: true,
        stale_reason: reason,
        attempted_at: scan.attemptedAt,
      });
      const previous = await tx(SCANS).where({ cluster }).first();
      // The panel keeps what the last good scan learnt (version, identity),
      // with this attempt's time and errors.
      const previousStatus: ClusterStatus | undefined = previous?.status
        ? JSON.parse(previous.status)
        : undefined;
      const succeededAt = previous?.succeeded_at ?? undefined;
      await this.writeScan(tx, {
        ...scan,
        succeededAt,
        gitVersion: scan.gitVersion ?? previous?.git_version ?? undefined,
        ...(scan.status
          ? {
              status: previousStatus
                ? {
                    ...previousStatus,
                    attemptedAt: scan.status.attemptedAt,
                    durationMs: scan.status.durationMs,
                    errors: scan.status.errors,
                    ...(succeededAt ? { succeededAt } : {}),
                  }
                : scan.status,
            }
          : {}),
      });
    });
    this.#changed();
  }

  private async writeScan(tx: Knex.Transaction, scan: ClusterScanRecord) {
    await tx(SCANS)
      .insert({
        cluster: scan.cluster,
        attempted_at: scan.attemptedAt,
        succeeded_at: scan.succeededAt ?? null,
        errors: JSON.stringify(scan.errors),
        duration_ms: scan.durationMs,
        entity_count: scan.entityCount,
        workload_count: scan.workloadCount,
        git_version: scan.gitVersion ?? null,
        status: scan.status ? JSON.stringify(scan.status) : null,
      })
      .onConflict('cluster')
      .merge();
  }

  async getEntityReports(entityRef: string): Promise<ClusterReport[]> {
    const rows: ReportRow[] = await this.knex(REPORTS)
      .where({ entity_ref: entityRef })
      .orderBy('cluster');
    return rows.map(toClusterReport);
  }

  /** One row per entity, aggregated in the database without reading reports. */
  async listSummaries(): Promise<EntityReportSummary[]> {
    const rows = await this.knex(REPORTS)
      .select(
        'entity_ref',
        'cluster',
        'workload_count',
        'error_count',
        'scanned_at',
        'stale',
        'score',
        'grade',
      )
      .orderBy(['entity_ref', 'cluster']);
    const byEntity = new Map<string, EntityReportSummary>();
    for (const row of rows) {
      const summary: EntityReportSummary = byEntity.get(row.entity_ref) ?? {
        entityRef: row.entity_ref,
        clusters: [],
        workloadCount: 0,
        stale: false,
        errorCount: 0,
      };
      summary.clusters.push(row.cluster);
      summary.workloadCount += Number(row.workload_count);
      summary.errorCount += Number(row.error_count);
      summary.stale ||= Boolean(row.stale);
      if (row.score !== null) {
        // The same rule as the entity's report: grade first, then score.
        const weakest = weakestScore([
          ...(summary.grade !== undefined && summary.score !== undefined
            ? [{ score: summary.score, grade: summary.grade }]
            : []),
          { score: Number(row.score), grade: row.grade as Grade },
        ])!;
        summary.score = weakest.score;
        summary.grade = weakest.grade;
      }
      if (!summary.lastScannedAt || row.scanned_at > summary.lastScannedAt) {
        summary.lastScannedAt = row.scanned_at;
      }
      byEntity.set(row.entity_ref, summary);
    }
    return [...byEntity.values()];
  }

  /**
   * Deletes the reports and scan records of clusters that are no longer
   * located and whose last scan attempt is older than `before`, so a cluster
   * removed from config or the catalog does not keep its data forever while
   * a short absence (a Resource re-registered) loses nothing. Returns the
   * clusters pruned.
   */
  async pruneClusters(located: string[], before: Date): Promise<string[]> {
    const cutoff = before.toISOString();
    const pruned = await this.#transaction(async tx => {
      const [scanned, reported]: string[][] = await Promise.all([
        tx(SCANS)
          .whereNotIn('cluster', located)
          .where('attempted_at', '<', cutoff)
          .pluck('cluster'),
        tx(REPORTS)
          .whereNotIn('cluster', located)
          .where('attempted_at', '<', cutoff)
          .distinct('cluster')
          .pluck('cluster'),
      ]);
      const gone = [...new Set([...scanned, ...reported])].sort();
      if (gone.length) {
        await tx(REPORTS).whereIn('cluster', gone).delete();
        await tx(SCANS).whereIn('cluster', gone).delete();
      }
      return gone;
    });
    if (pruned.length) this.#changed();
    return pruned;
  }

  async listClusterScans(): Promise<ClusterScanRecord[]> {
    const rows = await this.knex(SCANS).orderBy('cluster');
    return rows.map(row => ({
      cluster: row.cluster,
      attemptedAt: row.attempted_at,
      ...(row.succeeded_at ? { succeededAt: row.succeeded_at } : {}),
      errors: JSON.parse(row.errors),
      durationMs: row.duration_ms,
      entityCount: row.entity_count,
      workloadCount: row.workload_count,
      ...(row.git_version ? { gitVersion: row.git_version } : {}),
      ...(row.status ? { status: JSON.parse(row.status) } : {}),
    }));
  }
}
