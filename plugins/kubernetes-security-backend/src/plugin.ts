import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubernetesSecurityPermissions } from '@internal/plugin-kubernetes-security-common';
import {
  KubernetesSecurityCluster,
  KubernetesSecurityClusterSupplier,
  kubernetesSecurityClustersExtensionPoint,
} from '@internal/plugin-kubernetes-security-node';
import { locateClustersFromConfig } from './clusters/locateClusters';
import { createServiceLocator } from './clusters/serviceLocator';
import { ScanService } from './scan/ScanService';
import { createRouter } from './service/router';
import { ReportStore } from './store/ReportStore';

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
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
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
        catalog,
      }) {
        permissionsRegistry.addPermissions(kubernetesSecurityPermissions);
        const fromConfig = locateClustersFromConfig(config);
        for (const problem of fromConfig.problems) {
          logger.error(
            `Kubernetes cluster configuration${
              problem.cluster ? ` of "${problem.cluster}"` : ''
            }: ${problem.message}`,
          );
        }
        const getClusters = async (): Promise<KubernetesSecurityCluster[]> => {
          const supplied = await Promise.all(
            extraSuppliers.map(s => s.getClusters()),
          );
          return [...fromConfig.clusters, ...supplied.flat()];
        };

        const securityConfig = config.getOptionalConfig('kubernetesSecurity');
        const store = await ReportStore.create(database);
        const scanService = new ScanService({
          logger,
          auth,
          catalog,
          store,
          serviceLocator: createServiceLocator(config),
          entityKinds: securityConfig?.getOptionalStringArray(
            'entityKinds',
          ) ?? ['Component'],
          client: {
            pageSize: securityConfig?.getOptionalNumber('pageSize') ?? 500,
            requestTimeoutMs:
              securityConfig?.getOptionalNumber('requestTimeoutMs') ?? 30_000,
          },
        });

        const schedule = securityConfig?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              securityConfig.getConfig('schedule'),
            )
          : DEFAULT_SCHEDULE;
        const taskId = (cluster: string) =>
          `kubernetes-security:scan:${cluster}`;
        // One task per cluster, so a slow or broken cluster never delays the others.
        for (const cluster of await getClusters()) {
          await scheduler.scheduleTask({
            id: taskId(cluster.name),
            scope: 'global',
            ...schedule,
            fn: async () => {
              await scanService.scanCluster(cluster);
            },
          });
        }

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            catalog,
            store,
            getClusters: async () => ({
              names: (
                await getClusters()
              ).map(({ name, title }) => ({
                name,
                ...(title ? { title } : {}),
              })),
              problems: fromConfig.problems,
            }),
            triggerScans: async clusters => {
              const started: string[] = [];
              for (const cluster of clusters) {
                try {
                  await scheduler.triggerTask(taskId(cluster));
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
      },
    });
  },
});
