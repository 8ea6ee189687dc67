import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  buildWorkloads,
  ClusterAssessor,
  ClusterReport,
  getEntityKubernetesTarget,
  parseLabelSelector,
  ScanError,
  selectWorkloads,
  Workload,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import {
  KubernetesApiClient,
  KubernetesApiClientOptions,
} from '../clusters/KubernetesApiClient';
import type { ServiceLocator } from '../clusters/serviceLocator';
import { collectInventory } from '../collector/collectInventory';
import type { ClusterScanRecord, ReportStore } from '../store/ReportStore';

export interface ScanServiceOptions {
  logger: LoggerService;
  auth: AuthService;
  catalog: CatalogService;
  store: ReportStore;
  serviceLocator: ServiceLocator;
  entityKinds: string[];
  client: KubernetesApiClientOptions;
}

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

  async scanCluster(
    cluster: KubernetesSecurityCluster,
  ): Promise<ClusterScanRecord> {
    const { logger, store, serviceLocator } = this.options;
    const started = Date.now();
    const attemptedAt = new Date(started).toISOString();
    // Without the catalog we cannot tell which rows are obsolete: fail the
    // scan before touching any stored result.
    const entities = (await this.fetchEntities()).filter(entity =>
      serviceLocator(entity, cluster.name),
    );

    const client = new KubernetesApiClient(cluster, this.options.client);
    // Never throws: every failed request becomes a ScanError.
    const collected = await collectInventory(client);

    const scan: ClusterScanRecord = {
      cluster: cluster.name,
      attemptedAt,
      errors: collected.errors,
      durationMs: 0,
      entityCount: entities.length,
      workloadCount: 0,
      ...(collected.gitVersion ? { gitVersion: collected.gitVersion } : {}),
    };

    if (collected.failed) {
      const reason = collected.errors
        .map(e => e.message)
        .filter(unique)
        .join('; ');
      scan.durationMs = Date.now() - started;
      logger.warn(
        `Scan of cluster ${cluster.name} failed, keeping the last result: ${reason}`,
      );
      await store.markClusterStale(cluster.name, reason, scan);
      return scan;
    }

    const workloads = buildWorkloads(collected.inventory);
    const assessor = new ClusterAssessor(collected.context);
    const reports = entities.map(entity => ({
      entityRef: stringifyEntityRef(entity),
      report: this.entityReport(
        entity,
        workloads,
        assessor,
        cluster.name,
        attemptedAt,
        collected.errors,
      ),
    }));
    scan.durationMs = Date.now() - started;
    scan.succeededAt = attemptedAt;
    scan.workloadCount = workloads.length;
    await store.replaceClusterReports(cluster.name, reports, scan);
    logger.info(
      `Scanned cluster ${cluster.name}: ${workloads.length} workloads, ${entities.length} entities, ` +
        `${collected.errors.length} partial errors, ${scan.durationMs} ms`,
    );
    return scan;
  }

  private entityReport(
    entity: Entity,
    workloads: Workload[],
    assessor: ClusterAssessor,
    cluster: string,
    scannedAt: string,
    clusterErrors: ScanError[],
  ): ClusterReport {
    const target = getEntityKubernetesTarget(entity);
    const base = {
      cluster,
      scannedAt,
      attemptedAt: scannedAt,
      stale: false,
      labelSelector: target.labelSelector,
    };
    let selector;
    try {
      selector = parseLabelSelector(target.labelSelector);
    } catch (error) {
      return {
        ...base,
        workloads: [],
        namespaces: [],
        errors: [
          ...clusterErrors,
          {
            type: 'INVALID_ANNOTATION',
            message: `${
              (error as Error).message
            }. Fix the ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation of ${stringifyEntityRef(
              entity,
            )}.`,
          },
        ],
      };
    }
    const summaries = selectWorkloads(workloads, { ...target, selector }).map(
      workload => assessor.assess(workload),
    );
    const namespaces = [...new Set(summaries.map(w => w.namespace))].sort();
    return {
      ...base,
      ...(target.namespace ? { namespace: target.namespace } : {}),
      workloads: summaries,
      namespaces: namespaces.map(name => assessor.namespaceSummary(name)),
      errors: clusterErrors,
    };
  }
}

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}
