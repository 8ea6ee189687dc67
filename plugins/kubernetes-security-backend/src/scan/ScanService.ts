import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  assessCluster,
  buildWorkloads,
  getEntityKubernetesTarget,
  ImageVerification,
  selectEntityWorkloads,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import {
  KubernetesApiClient,
  KubernetesApiClientOptions,
} from '../clusters/KubernetesApiClient';
import type { ServiceLocator } from '../clusters/serviceLocator';
import type { ClusterScanRecord, ReportStore } from '../store/ReportStore';
import type { HistoryStore } from '../store/HistoryStore';
import { clusterStatusOf, readCluster } from './readCluster';
import { abortReason, unstorableReason, withDeadline } from './scanFailures';
import { fetchScannedEntities } from './scannedEntities';
import { ScanSignatures, verifyScanImages } from './workloadImages';

export interface ScanServiceOptions {
  logger: LoggerService;
  /** Records reads of Secret values (`usePullSecrets`). */
  auditor?: AuditorService;
  auth: AuthService;
  catalog: CatalogService;
  store: ReportStore;
  /** Records each entity's score of the day after every successful scan. */
  history?: HistoryStore;
  serviceLocator: ServiceLocator;
  entityKinds: string[];
  client: KubernetesApiClientOptions;
  /** The longest one cluster's scan may take; default `DEFAULT_SCAN_TIMEOUT_MS`. */
  scanTimeoutMs?: number;
  /** Image signature verification; absent when disabled. */
  signatures?: ScanSignatures;
}

// Shorter than the default schedule's 15-minute task timeout, so a slow
// scan ends and says why before the scheduler gives up on it.
export const DEFAULT_SCAN_TIMEOUT_MS = 10 * 60_000;

/**
 * Scans one cluster: lists each kind once, verifies images, assesses every
 * entity's workloads in memory (`assessCluster`), and stores one report per
 * entity. It never asks the API server anything per entity.
 */
export class ScanService {
  constructor(private readonly options: ScanServiceOptions) {}

  /**
   * Scans one cluster within the scan timeout, or until `signal` (the
   * scheduler's) aborts. A scan that could not read everything keeps the
   * last good reports, marked stale with the reason.
   */
  async scanCluster(
    cluster: KubernetesSecurityCluster,
    options: { signal?: AbortSignal } = {},
  ): Promise<ClusterScanRecord> {
    return withDeadline(
      this.options.scanTimeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS,
      options.signal,
      signal => this.scan(cluster, signal),
    );
  }

  private async scan(
    cluster: KubernetesSecurityCluster,
    signal: AbortSignal,
  ): Promise<ClusterScanRecord> {
    const { logger, store, serviceLocator } = this.options;
    const started = Date.now();
    const attemptedAt = new Date(started).toISOString();
    // Without the catalog we cannot tell which rows are obsolete: fail the
    // scan before touching any stored result.
    const entities = (await fetchScannedEntities(this.options)).filter(entity =>
      serviceLocator(entity, cluster.name),
    );

    const client = new KubernetesApiClient(cluster, {
      ...this.options.client,
      signal,
    });
    const reading = await readCluster(client);
    const { collected } = reading;
    const scan: ClusterScanRecord = {
      cluster: cluster.name,
      attemptedAt,
      errors: collected.errors,
      durationMs: 0,
      entityCount: entities.length,
      workloadCount: 0,
      ...(collected.gitVersion ? { gitVersion: collected.gitVersion } : {}),
    };

    // Keeps the last good reports, marked stale with the reason, instead of
    // storing what this attempt read.
    const keepLastResult = async (
      reason: string,
      releaseImages?: ImageVerification[],
    ) => {
      scan.durationMs = Date.now() - started;
      delete scan.succeededAt;
      scan.status = clusterStatusOf(reading, scan, releaseImages);
      logger.warn(
        `Scan of cluster ${cluster.name} failed, keeping the last result: ${reason}`,
      );
      await store.markClusterStale(cluster.name, reason, scan);
      return scan;
    };

    const unstorable = unstorableReason(reading, signal);
    if (unstorable) return keepLastResult(unstorable);

    const workloads = buildWorkloads(collected.inventory);
    const selections = entities.map(entity =>
      selectEntityWorkloads(
        workloads,
        stringifyEntityRef(entity),
        getEntityKubernetesTarget(entity),
      ),
    );
    const { images, releaseImages } = this.options.signatures
      ? await verifyScanImages({
          signatures: this.options.signatures,
          auditor: this.options.auditor,
          client,
          cluster: cluster.name,
          entities: selections.map((selection, index) => ({
            entityRef: selection.entityRef,
            annotations: entities[index].metadata.annotations,
            workloads: 'workloads' in selection ? selection.workloads : [],
          })),
          collected,
        })
      : {};
    const reports = assessCluster(
      {
        cluster: cluster.name,
        scannedAt: attemptedAt,
        workloads,
        context: collected.context,
        admission: reading.admission,
        errors: collected.errors,
      },
      selections,
      { images },
    );
    // Signature verification does not see the signal: check it once done.
    if (signal.aborted) {
      return keepLastResult(abortReason(signal), releaseImages);
    }
    scan.durationMs = Date.now() - started;
    scan.succeededAt = attemptedAt;
    scan.workloadCount = workloads.length;
    scan.status = clusterStatusOf(reading, scan, releaseImages);
    try {
      await store.replaceClusterReports(cluster.name, reports, scan);
    } catch (error) {
      // The transaction rolled back, so the last good reports are intact;
      // if the database answers again, they say why they are not newer.
      return keepLastResult(
        `The results could not be saved: ${(error as Error).message}`,
        releaseImages,
      );
    }
    await this.options.history?.record(attemptedAt);
    logger.info(
      `Scanned cluster ${cluster.name}: ${workloads.length} workloads, ${entities.length} entities, ` +
        `${collected.errors.length} partial errors, ${scan.durationMs} ms`,
    );
    return scan;
  }
}
