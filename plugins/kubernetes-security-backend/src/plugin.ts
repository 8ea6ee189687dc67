import {
  coreServices,
  createBackendPlugin,
  DatabaseService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubernetesSecurityPermissions } from '@internal/plugin-kubernetes-security-common';
import {
  KubernetesSecurityClusterSupplier,
  kubernetesSecurityClustersExtensionPoint,
} from '@internal/plugin-kubernetes-security-node';
import { scanTaskId } from './clusters/ClusterScanScheduler';
import { KUBERNETES_CLIENT_DEFAULTS } from './clusters/KubernetesApiClient';
import { setUpClusters } from './clusters/setUpClusters';
import { createServiceLocator } from './clusters/serviceLocator';
import { ScanService } from './scan/ScanService';
import { createImageVerificationService } from '@internal/plugin-kubernetes-security-signatures-node';
import {
  createClusterVisibility,
  registerClusterPermissions,
} from './router/clusterVisibility';
import { createRouter, ENTITY_VIEW_PATH } from './router/createRouter';
import { createScanSlots } from './scan/scanSlots';
import { ReportStore } from './store/ReportStore';
import { SignatureCache } from './store/SignatureCache';
import { setUpScoreHistory } from './store/HistoryStoreRetention';

/**
 * Image signature verification from `kubernetesSecurity.signatures`. A bad
 * policy is reported at start-up and turns verification off rather than
 * stopping the plugin: every other section still works.
 */
async function setUpSignatures(
  config: Config,
  database: DatabaseService,
  logger: LoggerService,
) {
  try {
    const created = await createImageVerificationService({
      config,
      createCache: ttl => SignatureCache.create(database, ttl),
    });
    return (
      created && {
        service: created.service,
        policies: created.settings.policies,
        usePullSecrets: created.settings.usePullSecrets,
        cache: created.cache,
      }
    );
  } catch (error) {
    logger.error(
      `Image signature verification is off: ${(error as Error).message}`,
    );
    return undefined;
  }
}

/** How long data of a cluster no longer located is kept. */
const DEFAULT_REMOVED_CLUSTER_RETENTION: HumanDuration = { days: 1 };
/** Two, so that one slow cluster never holds up all the others. */
const DEFAULT_MAX_CONCURRENT_SCANS = 2;
/** Repeated views of one token reuse its decisions this long (see config.d.ts). */
const DEFAULT_REUSE_AUTHORIZATION_FOR: HumanDuration = { seconds: 10 };

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

/**
 * Kubernetes Security backend plugin: scans every configured cluster on the
 * scheduler and serves per-entity reports under `/api/kubernetes-security`.
 */
export const kubernetesSecurityPlugin = createBackendPlugin({
  pluginId: 'kubernetes-security',
  register(env) {
    const extraSuppliers: KubernetesSecurityClusterSupplier[] = [];
    env.registerExtensionPoint(kubernetesSecurityClustersExtensionPoint, {
      addClusterSupplier(supplier) {
        extraSuppliers.push(supplier);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        rootLifecycle: coreServices.rootLifecycle,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
        rootLifecycle,
      }) {
        permissionsRegistry.addPermissions(kubernetesSecurityPermissions);
        registerClusterPermissions(permissionsRegistry);
        const securityConfig = config.getOptionalConfig('kubernetesSecurity');
        const store = await ReportStore.create(database);
        const history = await setUpScoreHistory({
          config,
          database,
          scheduler,
          catalog,
          auth,
          logger,
        });
        const signatures = await setUpSignatures(config, database, logger);
        const scanService = new ScanService({
          logger,
          auditor,
          auth,
          catalog,
          store,
          history: history.store,
          signatures,
          serviceLocator: createServiceLocator(config),
          entityKinds: securityConfig?.getOptionalStringArray(
            'entityKinds',
          ) ?? ['Component'],
          client: {
            pageSize: securityConfig?.getOptionalNumber('pageSize') ?? 500,
            requestTimeoutMs:
              securityConfig?.getOptionalNumber('requestTimeoutMs') ?? 30_000,
            maxResponseBytes:
              securityConfig?.getOptionalNumber('maxResponseBytes'),
            maxListPages: securityConfig?.getOptionalNumber('maxListPages'),
            retry: {
              ...KUBERNETES_CLIENT_DEFAULTS.retry,
              retries:
                securityConfig?.getOptionalNumber('requestRetries') ??
                KUBERNETES_CLIENT_DEFAULTS.retry.retries,
            },
          },
          scanTimeoutMs: securityConfig?.getOptionalNumber('scanTimeoutMs'),
        });

        const removedRetention = securityConfig?.has('removedClusterRetention')
          ? readDurationFromConfig(securityConfig, {
              key: 'removedClusterRetention',
            })
          : DEFAULT_REMOVED_CLUSTER_RETENTION;
        const reuseAuthorizationFor = securityConfig?.has(
          'reuseAuthorizationFor',
        )
          ? readDurationFromConfig(securityConfig, {
              key: 'reuseAuthorizationFor',
            })
          : DEFAULT_REUSE_AUTHORIZATION_FOR;
        const schedule = securityConfig?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              securityConfig.getConfig('schedule'),
            )
          : DEFAULT_SCHEDULE;
        const inScanSlot = createScanSlots(
          securityConfig?.getOptionalNumber('maxConcurrentScans') ??
            DEFAULT_MAX_CONCURRENT_SCANS,
        );
        // Located once all plugins are up, then again periodically.
        const located = await setUpClusters({
          config,
          logger,
          catalog,
          auth,
          scheduler,
          rootLifecycle,
          suppliers: extraSuppliers,
          schedule,
          scan: (cluster, signal) =>
            inScanSlot(
              () => scanService.scanCluster(cluster, { signal }),
              signal,
            ),
          onCompleteList: async names => {
            const pruned = await store.pruneClusters(
              names,
              new Date(Date.now() - durationToMilliseconds(removedRetention)),
            );
            if (pruned.length) {
              logger.info(
                `Dropped the reports of clusters no longer located: ${pruned.join(
                  ', ',
                )}`,
              );
            }
          },
        });

        const cache = signatures?.cache;
        if (cache) {
          // Expired verdicts are never read again; without this they pile up.
          await scheduler.scheduleTask({
            id: 'kubernetes-security:prune-signature-cache',
            frequency: { hours: 6 },
            timeout: { minutes: 5 },
            initialDelay: { minutes: 10 },
            fn: async () => {
              const count = await cache.prune();
              logger.debug(`Pruned ${count} expired signature verdicts`);
            },
          });
        }

        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            permissions,
            catalog,
            store,
            scorecards: history.scorecards,
            getClusters: async () => located.summary(),
            reuseDecisionsForMs: durationToMilliseconds(reuseAuthorizationFor),
            visibleClusters: createClusterVisibility(
              permissions,
              permissionsRegistry,
            ),
            triggerScans: async clusters => {
              const started: string[] = [];
              for (const cluster of clusters) {
                try {
                  await scheduler.triggerTask(scanTaskId(cluster));
                  started.push(cluster);
                } catch (error) {
                  // Already running: its result will do.
                  logger.debug(`Scan of ${cluster} not triggered: ${error}`);
                }
              }
              return started;
            },
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Authenticated by its handlers, reusing verified tokens (see ENTITY_VIEW_PATH).
        httpRouter.addAuthPolicy({
          path: ENTITY_VIEW_PATH,
          allow: 'unauthenticated',
        });
      },
    });
  },
});
