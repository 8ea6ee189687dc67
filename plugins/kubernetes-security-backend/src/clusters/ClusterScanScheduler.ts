import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import type { ClusterRegistry } from './ClusterRegistry';

/** The scheduler task that scans one cluster. */
export const scanTaskId = (cluster: string) =>
  `kubernetes-security:scan:${cluster}`;

/**
 * One scheduled task per located cluster, so a slow or broken cluster never
 * delays the others. `sync` follows the registry: it schedules clusters that
 * appeared and stops the tasks of clusters that are gone. Each run reads the
 * cluster's current definition, so a changed URL or CA is used at once.
 */
export class ClusterScanScheduler {
  private readonly tasks = new Map<string, AbortController>();

  constructor(
    private readonly options: {
      scheduler: SchedulerService;
      registry: ClusterRegistry;
      schedule: SchedulerServiceTaskScheduleDefinition;
      /** `signal` aborts when the task times out, the backend stops or the cluster goes. */
      scan: (
        cluster: KubernetesSecurityCluster,
        signal: AbortSignal,
      ) => Promise<unknown>;
      logger: LoggerService;
    },
  ) {}

  async sync(): Promise<void> {
    const { scheduler, registry, schedule, scan, logger } = this.options;
    const current = new Set(registry.list().map(cluster => cluster.name));
    for (const [name, controller] of this.tasks) {
      if (!current.has(name)) {
        controller.abort();
        this.tasks.delete(name);
      }
    }
    for (const name of current) {
      if (this.tasks.has(name)) continue;
      const controller = new AbortController();
      try {
        await scheduler.scheduleTask({
          id: scanTaskId(name),
          scope: 'global',
          ...schedule,
          signal: controller.signal,
          fn: async signal => {
            const cluster = registry.get(name);
            if (!cluster) {
              logger.info(`Cluster ${name} is no longer located; not scanned`);
              return;
            }
            await scan(cluster, signal);
          },
        });
        this.tasks.set(name, controller);
      } catch (error) {
        logger.error(`Cannot schedule the scan of cluster ${name}: ${error}`);
      }
    }
  }
}
