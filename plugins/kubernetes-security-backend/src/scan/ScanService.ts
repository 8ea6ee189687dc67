import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AdmissionAssessment,
  assessAdmission,
  emptyAdmissionInventory,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  buildWorkloads,
  ClusterAssessor,
  ClusterReport,
  getEntityKubernetesTarget,
  ImageVerification,
  parseLabelSelector,
  ScanError,
  selectWorkloads,
  serviceAccountUsage,
  Workload,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import {
  KubernetesApiClient,
  KubernetesApiClientOptions,
} from '../clusters/KubernetesApiClient';
import type { ServiceLocator } from '../clusters/serviceLocator';
import { collectInventory } from '../collector/collectInventory';
import { buildClusterStatus, explainMissingPermission } from './clusterStatus';
import { discoverApis, DISCOVERED_GROUPS } from '../collector/discovery';
import { probeIdentity } from '../collector/probeIdentity';
import { collectAdmission } from '../collector/collectAdmission';
import type { ClusterScanRecord, ReportStore } from '../store/ReportStore';
import type { HistoryStore } from '../store/HistoryStore';
import {
  ImageVerificationService,
  PolicySet,
  verifyReleaseImages,
} from '../signatures';
import { readPullSecrets } from './pullSecrets';
import { verifyWorkloadImages, WorkloadImages } from './workloadImages';

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
  signatures?: {
    service: ImageVerificationService;
    policies: PolicySet;
    /** Opt-in: read workloads' imagePullSecrets (their values) for registry credentials. */
    usePullSecrets?: boolean;
  };
}

// Shorter than the default schedule's 15-minute task timeout, so a slow
// scan ends and says why before the scheduler gives up on it.
export const DEFAULT_SCAN_TIMEOUT_MS = 10 * 60_000;

/**
 * Scans one cluster: lists each kind once, maps objects to every entity in
 * memory, and stores one report per entity. It never asks the API server
 * anything per entity.
 */
export class ScanService {
  constructor(private readonly options: ScanServiceOptions) {}

  private async fetchEntities(): Promise<Entity[]> {
    const { catalog, auth, entityKinds } = this.options;
    const { items } = await catalog.getEntities(
      {
        filter: entityKinds.flatMap(kind =>
          [ANNOTATION_KUBERNETES_ID, ANNOTATION_KUBERNETES_LABEL_SELECTOR].map(
            (annotation): Record<string, string | symbol> => ({
              kind,
              [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
            }),
          ),
        ),
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'relations',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items;
  }

  /**
   * Scans one cluster within the scan timeout, or until `signal` (the
   * scheduler's) aborts. A scan that could not read everything keeps the
   * last good reports, marked stale with the reason.
   */
  async scanCluster(
    cluster: KubernetesSecurityCluster,
    options: { signal?: AbortSignal } = {},
  ): Promise<ClusterScanRecord> {
    const timeoutMs = this.options.scanTimeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS;
    const abort = new AbortController();
    const deadline = setTimeout(
      () =>
        abort.abort(
          new Error(`the scan took longer than its ${timeoutMs} ms timeout`),
        ),
      timeoutMs,
    );
    const cancel = () =>
      abort.abort(
        new Error(
          'the scheduler stopped it (task timeout, shutdown, or the cluster is no longer located)',
        ),
      );
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel);
    try {
      return await this.scan(cluster, abort.signal);
    } finally {
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', cancel);
    }
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
    const entities = (await this.fetchEntities()).filter(entity =>
      serviceLocator(entity, cluster.name),
    );

    const client = new KubernetesApiClient(cluster, {
      ...this.options.client,
      signal,
    });
    // Never throw: every failed request becomes a ScanError.
    const discovery = await discoverApis(client, DISCOVERED_GROUPS);
    const collected = await collectInventory(client, discovery);
    const [identity, admissionInventory] = collected.failed
      ? [undefined, undefined]
      : await Promise.all([
          probeIdentity(client, discovery, collected.context.clusterVersion),
          collectAdmission(client, discovery),
        ]);
    // Partial data says what is missing and why, never looks clean.
    collected.errors = collected.errors.map(explainMissingPermission);

    const scan: ClusterScanRecord = {
      cluster: cluster.name,
      attemptedAt,
      errors: collected.errors,
      durationMs: 0,
      entityCount: entities.length,
      workloadCount: 0,
      ...(collected.gitVersion ? { gitVersion: collected.gitVersion } : {}),
    };
    const withStatus = (releaseImages?: ImageVerification[]) => {
      scan.status = buildClusterStatus({
        scan,
        context: collected.context,
        discovery,
        identity,
        releaseImages,
        otherErrors: admissionInventory?.errors ?? [],
      });
    };

    // Keeps the last good reports, marked stale with the reason, instead of
    // storing what this attempt read.
    const keepLastResult = async (
      reason: string,
      releaseImages?: ImageVerification[],
    ) => {
      scan.durationMs = Date.now() - started;
      delete scan.succeededAt;
      withStatus(releaseImages);
      logger.warn(
        `Scan of cluster ${cluster.name} failed, keeping the last result: ${reason}`,
      );
      await store.markClusterStale(cluster.name, reason, scan);
      return scan;
    };

    // A list that failed for a reason that may pass (unreachable, timeout,
    // 5xx, garbage, too large) would leave workloads or policies out and
    // make reports look better than they are. Missing permissions stay
    // partial data, explained in each report: they do not pass by themselves.
    const incomplete = [
      ...collected.errors,
      ...discovery.errors,
      ...(admissionInventory?.errors ?? []),
    ].filter(isTransient);
    if (signal.aborted) {
      return keepLastResult(`Scan aborted: ${abortReason(signal)}`);
    }
    if (collected.failed) {
      return keepLastResult(describeErrors(collected.errors, true));
    }
    if (incomplete.length > 0) {
      return keepLastResult(
        `Incomplete data, not stored: ${describeErrors(incomplete)}`,
      );
    }

    const workloads = buildWorkloads(collected.inventory);
    const selections = entities.map(entity => selectFor(entity, workloads));
    const pullSecrets = this.options.signatures?.usePullSecrets
      ? await readPullSecrets(
          client,
          selections.flatMap(selection => selection.selected ?? []),
          this.options.auditor && {
            auditor: this.options.auditor,
            cluster: cluster.name,
          },
        )
      : undefined;
    const images = this.options.signatures
      ? await verifyWorkloadImages(
          this.options.signatures.service,
          this.options.signatures.policies,
          selections.map(({ entityRef, entity, selected }) => ({
            entityRef,
            annotations: entity.metadata.annotations,
            workloads: selected ?? [],
          })),
          collected.context.nodes,
          pullSecrets?.of,
        )
      : undefined;
    collected.errors.push(...(pullSecrets?.errors ?? []));
    const releaseImages = this.options.signatures
      ? await verifyReleaseImages(
          this.options.signatures.service,
          collected.inventory.pods.filter(
            pod => pod.metadata?.namespace === 'kube-system',
          ),
        )
      : undefined;
    const admission = assessAdmission(
      admissionInventory ?? emptyAdmissionInventory(),
      {
        workloads,
        namespaces: collected.context.namespaces,
        clusterVersion: collected.context.clusterVersion,
      },
    );
    const assessor = new ClusterAssessor(collected.context, undefined, {
      workload: workload => admission.findingsFor(workload),
      namespace: name => admission.namespaceFindings(name),
      images: images && (workload => images.ofWorkload(workload)),
    });
    const reports = selections.map(selection => ({
      entityRef: selection.entityRef,
      report: entityReport(selection, {
        workloads,
        assessor,
        admission,
        images,
        cluster: cluster.name,
        scannedAt: attemptedAt,
        clusterErrors: collected.errors,
      }),
    }));
    // Signature verification does not see the signal: check it once done.
    if (signal.aborted) {
      return keepLastResult(
        `Scan aborted: ${abortReason(signal)}`,
        releaseImages,
      );
    }
    scan.durationMs = Date.now() - started;
    scan.succeededAt = attemptedAt;
    scan.workloadCount = workloads.length;
    withStatus(releaseImages);
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

interface Selection {
  entity: Entity;
  entityRef: string;
  target: ReturnType<typeof getEntityKubernetesTarget>;
  /** Absent when the entity's selector annotation is malformed. */
  selected?: Workload[];
  error?: ScanError;
}

function selectFor(entity: Entity, workloads: Workload[]): Selection {
  const entityRef = stringifyEntityRef(entity);
  const target = getEntityKubernetesTarget(entity);
  try {
    const selector = parseLabelSelector(target.labelSelector);
    return {
      entity,
      entityRef,
      target,
      selected: selectWorkloads(workloads, { ...target, selector }),
    };
  } catch (error) {
    return {
      entity,
      entityRef,
      target,
      error: {
        type: 'INVALID_ANNOTATION',
        message: `${
          (error as Error).message
        }. Fix the ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation of ${entityRef}.`,
      },
    };
  }
}

function entityReport(
  selection: Selection,
  scan: {
    workloads: Workload[];
    assessor: ClusterAssessor;
    admission: AdmissionAssessment;
    images?: WorkloadImages;
    cluster: string;
    scannedAt: string;
    clusterErrors: ScanError[];
  },
): ClusterReport {
  const { target, selected, error, entityRef } = selection;
  const { assessor, scannedAt } = scan;
  const base = {
    cluster: scan.cluster,
    scannedAt,
    attemptedAt: scannedAt,
    stale: false,
    labelSelector: target.labelSelector,
  };
  if (!selected) {
    return {
      ...base,
      workloads: [],
      namespaces: [],
      errors: [...scan.clusterErrors, ...(error ? [error] : [])],
    };
  }
  const summaries = selected.map(workload => assessor.assess(workload));
  const namespaces = [...new Set(summaries.map(w => w.namespace))].sort();
  return {
    ...base,
    ...(target.namespace ? { namespace: target.namespace } : {}),
    workloads: summaries,
    namespaces: namespaces.map(name => assessor.namespaceSummary(name)),
    errors: [
      ...scan.clusterErrors,
      ...(scan.images?.errorsOf(entityRef) ?? []),
    ],
    ...(scan.images ? { images: scan.images.ofEntity(entityRef) } : {}),
    serviceAccounts: serviceAccountUsage(
      selected,
      scan.workloads,
      assessor.objects,
      new Date(scannedAt),
    ),
    storage: selected.flatMap(
      workload => assessor.contextOf(workload).volumes ?? [],
    ),
    admission: scan.admission.report(namespaces, selected),
  };
}

// Only a change of permissions, credentials or configuration cures these (or
// the cluster does not serve the API): reported as partial data. Everything
// else may pass by itself.
const LASTING_ERRORS: ScanError['type'][] = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_REQUEST',
  'CONFIGURATION',
];

function isTransient(error: ScanError): boolean {
  return !LASTING_ERRORS.includes(error.type);
}

/** Each distinct message once, with the resources it cost unless it cost them all. */
function describeErrors(errors: ScanError[], everything = false): string {
  const byMessage = new Map<string, string[]>();
  for (const error of errors) {
    const resources = byMessage.get(error.message) ?? [];
    if (error.resource && !resources.includes(error.resource)) {
      resources.push(error.resource);
    }
    byMessage.set(error.message, resources);
  }
  return [...byMessage]
    .map(([message, resources]) =>
      resources.length > 0 && !everything
        ? `${message} [${resources.join(', ')}]`
        : message,
    )
    .join('; ');
}

function abortReason(signal: AbortSignal): string {
  return signal.reason instanceof Error
    ? signal.reason.message
    : String(signal.reason);
}
