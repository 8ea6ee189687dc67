import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityReport,
  entityScore,
  kubernetesSecurityScanPermission,
} from '@internal/plugin-kubernetes-security-common';
import express from 'express';
import Router from 'express-promise-router';
import type { ClusterConfigProblem } from '../clusters/locateClusters';
import type { ReportStore } from '../store/ReportStore';
import type { VisibleClusters } from './clusterVisibility';
import {
  createScorecardsRouter,
  ScorecardsRouterOptions,
} from './scorecardsRouter';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  permissions: PermissionsService;
  catalog: CatalogService;
  store: ReportStore;
  getClusters(): Promise<{
    names: { name: string; title?: string }[];
    problems: ClusterConfigProblem[];
  }>;
  /** The clusters a caller may see (`kubernetes-security.cluster.read`). */
  visibleClusters(credentials: BackstageCredentials): Promise<VisibleClusters>;
  /** Starts the scan of the named clusters now; returns the ones started. */
  triggerScans(clusters: string[]): Promise<string[]>;
  /** Team scorecards and score history, when the history store is wired. */
  scorecards?: Omit<ScorecardsRouterOptions, 'httpAuth' | 'catalog'>;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, store } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The report of one entity. A caller who may not read the entity gets the
  // same 404 as for an unknown one, so reports never reveal what exists.
  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const compound: CompoundEntityRef = {
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    };
    const entityRef = stringifyEntityRef(compound);
    const [[decision], visible] = await Promise.all([
      permissions.authorize(
        [{ permission: catalogEntityReadPermission, resourceRef: entityRef }],
        { credentials },
      ),
      options.visibleClusters(credentials),
    ]);
    const entity =
      decision.result === AuthorizeResult.ALLOW
        ? await catalog.getEntityByRef(entityRef, { credentials })
        : undefined;
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} found`);
    }
    const [clusters, scans] = await Promise.all([
      store.getEntityReports(entityRef),
      store.listClusterScans(),
    ]);
    const score = entityScore(clusters);
    const scanned = new Set(clusters.map(cluster => cluster.cluster));
    const report: EntityReport = {
      entityRef,
      ...(score ? { score } : {}),
      clusters,
      errors: [],
      clusterStatus: scans.flatMap(scan =>
        scanned.has(scan.cluster) && scan.status && visible.has(scan.cluster)
          ? [scan.status]
          : [],
      ),
    };
    res.json(report);
  });

  // Summaries of every scanned entity the caller may read, filtered by the
  // catalog in one request.
  router.get('/v1/entities', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const summaries = await store.listSummaries();
    if (summaries.length === 0) {
      res.json({ items: [] });
      return;
    }
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: summaries.map(s => s.entityRef),
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    res.json({ items: summaries.filter((_, index) => items[index]) });
  });

  // Only the clusters the caller may see; problems not tied to one cluster
  // (a locator that failed) only for callers who may see every cluster.
  router.get('/v1/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [{ names, problems }, scans, visible] = await Promise.all([
      options.getClusters(),
      store.listClusterScans(),
      options.visibleClusters(credentials),
    ]);
    res.json({
      items: names
        .filter(cluster => visible.has(cluster.name))
        .map(cluster => ({
          ...cluster,
          lastScan: scans.find(scan => scan.cluster === cluster.name),
        })),
      problems: problems.filter(problem =>
        problem.cluster ? visible.has(problem.cluster) : visible.all,
      ),
    });
  });

  // "Scan now": starts the scheduled scan of each cluster (or of those named
  // in the body) outside its schedule. Results arrive as usual, via the store.
  // Audited, allowed or not: scans cost every cluster's API server a full list.
  router.post('/v1/scans', async (req, res) => {
    const requested: unknown = req.body?.clusters;
    const event = await options.auditor.createEvent({
      eventId: 'scan-trigger',
      severityLevel: 'medium',
      request: req,
      meta: {
        requested: Array.isArray(requested)
          ? requested.filter((c): c is string => typeof c === 'string')
          : 'all',
      },
    });
    try {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const [decision] = await permissions.authorize(
        [{ permission: kubernetesSecurityScanPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError('You may not start scans');
      }
      const known = (await options.getClusters()).names.map(c => c.name);
      const clusters = Array.isArray(requested)
        ? known.filter(name => requested.includes(name))
        : known;
      const started = await options.triggerScans(clusters);
      await event.success({ meta: { started } });
      res.status(202).json({ started });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  if (options.scorecards) {
    router.use(
      createScorecardsRouter({ httpAuth, catalog, ...options.scorecards }),
    );
  }

  return router;
}
