import type {
  AuthService,
  LoggerService,
  RootLifecycleService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { SERVICEACCOUNT_CA_PATH } from '@backstage/plugin-kubernetes-common';
import type {
  KubernetesSecurityCluster,
  KubernetesSecurityClusterSupplier,
} from '@internal/plugin-kubernetes-security-node';
import type { HumanDuration } from '@backstage/types';
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ClusterAuth, defaultAuthStrategies } from './clusterAuth';
import { ClusterRegistry } from './ClusterRegistry';
import { ClusterScanScheduler } from './ClusterScanScheduler';
import {
  ClusterLocatorDeps,
  createClusterLocators,
  supplierLocator,
} from './locateClusters';
import type { ClusterConfigProblem } from './types';

const DEFAULT_REFRESH: HumanDuration = { minutes: 1 };

export interface ClusterSetupOptions {
  config: Config;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
  scheduler: SchedulerService;
  rootLifecycle: RootLifecycleService;
  /** Suppliers added through `kubernetesSecurityClustersExtensionPoint`. */
  suppliers: KubernetesSecurityClusterSupplier[];
  /** When each cluster is scanned. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  scan: (
    cluster: KubernetesSecurityCluster,
    signal: AbortSignal,
  ) => Promise<unknown>;
  /**
   * Called after each refresh whose list has every located cluster, with
   * their names: data of the others may be dropped.
   */
  onCompleteList?: (clusters: string[]) => Promise<void>;
  /** Test seams: DNS for the catalog URL checks, the gke locator. */
  locatorDeps?: Partial<
    Pick<ClusterLocatorDeps, 'lookup' | 'createGkeLocator'>
  >;
}

export interface ClusterSetup {
  registry: ClusterRegistry;
  /** What `GET /v1/clusters` lists: the scanned clusters and every problem. */
  summary(): {
    names: { name: string; title?: string }[];
    problems: ClusterConfigProblem[];
  };
}

/**
 * Locates the clusters and schedules one scan task per cluster: at init those
 * from config, the kubectl proxy and suppliers; once every plugin has started
 * also those from the catalog (which needs the catalog plugin) and GKE; then
 * again every `kubernetesSecurity.clusterRefresh` (default one minute), so
 * catalog and GKE changes reach the schedule without a restart.
 */
export async function setUpClusters(
  options: ClusterSetupOptions,
): Promise<ClusterSetup> {
  const { config, logger, scheduler, rootLifecycle } = options;
  const { locators, problems } = createClusterLocators(config, {
    catalog: options.catalog,
    auth: options.auth,
    lookup: host => lookup(host, { all: true }),
    ...options.locatorDeps,
  });
  const registry = new ClusterRegistry({
    locators: [...locators, ...options.suppliers.map(supplierLocator)],
    configProblems: problems,
    auth: new ClusterAuth(
      defaultAuthStrategies({ config, logger }),
      hasInClusterServiceAccount(),
    ),
    continueOnError:
      config.getOptionalBoolean('kubernetes.clusterLocatorContinueOnError') ??
      false,
    logger,
  });
  const scans = new ClusterScanScheduler({
    scheduler,
    registry,
    schedule: options.schedule,
    scan: options.scan,
    logger,
  });
  const refresh = async () => {
    await registry.refresh();
    await scans.sync();
    if (registry.isComplete()) {
      await options.onCompleteList?.(registry.list().map(c => c.name));
    }
  };

  const frequency = config.has('kubernetesSecurity.clusterRefresh')
    ? readDurationFromConfig(config, {
        key: 'kubernetesSecurity.clusterRefresh',
      })
    : DEFAULT_REFRESH;
  // Clusters known without other plugins are scheduled now, so their first
  // scan keeps the configured initial delay.
  await registry.refresh({ beforeStartup: true });
  await scans.sync();
  rootLifecycle.addStartupHook(async () => {
    await refresh();
    // Every instance keeps its own list, so the refresh runs on each.
    await scheduler.scheduleTask({
      id: 'kubernetes-security:locate-clusters',
      scope: 'local',
      frequency,
      timeout: { minutes: 2 },
      initialDelay: frequency,
      fn: refresh,
    });
  });

  return {
    registry,
    summary: () => ({
      names: registry.list().map(({ name, title }) => ({
        name,
        ...(title ? { title } : {}),
      })),
      problems: registry.problems(),
    }),
  };
}

/** A Pod's mounted ServiceAccount token, which `serviceAccount` falls back to. */
function hasInClusterServiceAccount(): boolean {
  return (
    Boolean(process.env.KUBERNETES_SERVICE_HOST) &&
    existsSync(SERVICEACCOUNT_CA_PATH) &&
    existsSync(join(dirname(SERVICEACCOUNT_CA_PATH), 'token'))
  );
}
