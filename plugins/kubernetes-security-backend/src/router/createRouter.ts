import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { kubernetesSecurityScanPermission } from '@internal/plugin-kubernetes-security-common';
import express from 'express';
import Router from 'express-promise-router';
import type { ClusterConfigProblem } from '../clusters/locateClusters';
import type { ReportStore } from '../store/ReportStore';
import { createCallerAuthentication } from './callerAuthentication';
import { callerKey, createCallerBatches } from './callerBatches';
import type { VisibleClusters } from './clusterVisibility';
import { EntityViews } from './entityViews';
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
  /**
   * How long a token's verification, the catalog's "may read this entity"
   * and the cluster visibility decision are reused for that same token in
   * entity views (`reuseAuthorizationFor`); 0 asks for every view.
   */
  reuseDecisionsForMs: number;
  /** Team scorecards and score history, when the history store is wired. */
  scorecards?: Omit<ScorecardsRouterOptions, 'httpAuth' | 'catalog'>;
}

/**
 * The entity view, and everything below it, authenticates in its handlers
 * rather than through Backstage's credentials barrier, so that a token once
 * verified is not verified again on every view (see createCallerAuthentication).
 * The plugin registers it as an `unauthenticated` auth policy path: every
 * route under it must authenticate (the entity history does, too).
 */
export const ENTITY_VIEW_PATH = '/v1/entities/:kind/:namespace/:name';

/** Entity refs per catalog request; the catalog reads them in one query. */
const MAX_CATALOG_BATCH = 200;

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, store } = options;
  const router = Router();
  const views = new EntityViews(store);
  const authenticate = createCallerAuthentication(httpAuth, {
    reuseForMs: options.reuseDecisionsForMs,
  });
  const readableEntities = createCallerBatches<string, boolean>(
    async (entityRefs, credentials) => {
      const unique = [...new Set(entityRefs)];
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: unique, fields: ['kind', 'metadata.name'] },
        { credentials },
      );
      const found = new Set(unique.filter((_, index) => items[index]));
      return entityRefs.map(ref => found.has(ref));
    },
    {
      maxBatchSize: MAX_CATALOG_BATCH,
      reuseForMs: options.reuseDecisionsForMs,
    },
  );
  const visibleClusters = createCallerBatches<undefined, VisibleClusters>(
    async (items, credentials) => {
      const visible = await options.visibleClusters(credentials);
      return items.map(() => visible);
    },
    {
      maxBatchSize: Number.POSITIVE_INFINITY,
      reuseForMs: options.reuseDecisionsForMs,
    },
  );
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The report of one entity. A caller who may not read the entity gets the
  // same 404 as for an unknown one, so reports never reveal what exists. The
  // catalog decides, with the caller's credentials, exactly as for any read of
  // the entity; concurrent views of one caller share its requests, and a
  // decision is reused for that same token for a few seconds at most (see
  // createCallerBatches). The body is built once per scan result. The route
  // authenticates its callers itself (see ENTITY_VIEW_PATH).
  router.get(ENTITY_VIEW_PATH, async (req, res) => {
    const credentials = await authenticate(req);
    const entityRef = stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const caller = callerKey(req.headers);
    const [readable, visible] = await Promise.all([
      readableEntities(caller, credentials, entityRef),
      visibleClusters(caller, credentials, undefined),
    ]);
    if (!readable) {
      throw new NotFoundError(`No entity ${entityRef} found`);
    }
    const view = await views.render(entityRef, visible);
    // Revalidated on every use (the ETag makes that a 304), never shared.
    res.set({
      'Cache-Control': 'private, no-cache',
      ETag: view.etag,
      Vary: 'Accept-Encoding, Authorization',
    });
    res.type('application/json');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.set('Content-Encoding', 'gzip');
      res.send(view.gzip);
    } else {
      res.send(view.json);
    }
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
