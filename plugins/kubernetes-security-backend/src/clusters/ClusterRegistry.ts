import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import type { ClusterAuth } from './clusterAuth';
import { combineLocatedClusters } from './locateClusters';
import type { ClusterConfigProblem, ClusterLocator } from './types';

export interface ClusterRegistryOptions {
  locators: ClusterLocator[];
  /** Problems found while reading the locator config itself. */
  configProblems: ClusterConfigProblem[];
  auth: ClusterAuth;
  /** `kubernetes.clusterLocatorContinueOnError`. */
  continueOnError: boolean;
  logger: LoggerService;
}

/**
 * The clusters to scan right now. `refresh` asks every locator again, so
 * clusters added to or removed from the catalog or GKE are picked up without
 * a restart.
 *
 * When a locator fails, `clusterLocatorContinueOnError` decides as in the
 * official plugin: `false` (the default) does not accept an incomplete list,
 * so the last complete list stays in use; `true` uses the clusters of the
 * locators that answered. Either way the failure is reported.
 */
export class ClusterRegistry {
  private clusters: KubernetesSecurityCluster[] = [];
  private listComplete = false;
  private currentProblems: ClusterConfigProblem[];
  private refreshing?: Promise<void>;
  private logged = new Set<string>();

  constructor(private readonly options: ClusterRegistryOptions) {
    this.currentProblems = [...options.configProblems];
  }

  list(): KubernetesSecurityCluster[] {
    return this.clusters;
  }

  get(name: string): KubernetesSecurityCluster | undefined {
    return this.clusters.find(cluster => cluster.name === name);
  }

  /**
   * Whether the list has every located cluster: every locator, deferred ones
   * included, answered the refresh that made it. Only then may data of
   * clusters missing from it be dropped.
   */
  isComplete(): boolean {
    return this.listComplete;
  }

  problems(): ClusterConfigProblem[] {
    return this.currentProblems;
  }

  /**
   * Locates every cluster again; concurrent calls share one refresh.
   * `beforeStartup` leaves out the locators deferred until the backend has
   * started (catalog, GKE); they are not counted as failed.
   */
  refresh(options: { beforeStartup?: boolean } = {}): Promise<void> {
    this.refreshing ??= this.locate(options.beforeStartup ?? false).finally(
      () => {
        this.refreshing = undefined;
      },
    );
    return this.refreshing;
  }

  private async locate(beforeStartup: boolean): Promise<void> {
    const { configProblems, auth, continueOnError } = this.options;
    const locators = this.options.locators.filter(
      locator => !(beforeStartup && locator.deferUntilStartup),
    );
    const outcomes = await Promise.all(
      locators.map(locator =>
        locator.locate().then(
          located => ({ description: locator.description, located }),
          error => ({ description: locator.description, error }),
        ),
      ),
    );
    const combined = combineLocatedClusters(outcomes);
    const problems = [...configProblems, ...combined.problems];
    const usable: KubernetesSecurityCluster[] = [];
    for (const cluster of combined.clusters) {
      const authProblems = auth.problems(cluster);
      if (authProblems.length) {
        problems.push(
          ...authProblems.map(message => ({
            cluster: cluster.name,
            ...(cluster.source ? { locator: cluster.source } : {}),
            ...(cluster.entityRef ? { entityRef: cluster.entityRef } : {}),
            message,
          })),
        );
        continue;
      }
      usable.push(
        cluster.getCredential ? cluster : auth.withCredentials(cluster),
      );
    }
    if (combined.complete || continueOnError) {
      this.replaceClusters(usable);
      this.listComplete =
        combined.complete && locators.length === this.options.locators.length;
    } else {
      problems.push({
        message: `Kept the last complete cluster list (${this.clusters.length} clusters): a locator failed and kubernetes.clusterLocatorContinueOnError is false`,
      });
    }
    this.currentProblems = problems;
    this.logNewProblems(problems);
  }

  private replaceClusters(next: KubernetesSecurityCluster[]) {
    const before = new Set(this.clusters.map(c => c.name));
    const after = new Set(next.map(c => c.name));
    const added = [...after].filter(name => !before.has(name));
    const removed = [...before].filter(name => !after.has(name));
    if (added.length) {
      this.options.logger.info(
        `Kubernetes clusters located: ${added.join(', ')}`,
      );
    }
    if (removed.length) {
      this.options.logger.info(
        `Kubernetes clusters no longer located, not scanned any more: ${removed.join(
          ', ',
        )}`,
      );
    }
    this.clusters = next;
  }

  // Each problem is logged once, when it first appears, not at every refresh.
  private logNewProblems(problems: ClusterConfigProblem[]) {
    const keys = new Set<string>();
    for (const problem of problems) {
      const key = JSON.stringify(problem);
      keys.add(key);
      if (this.logged.has(key)) continue;
      this.options.logger.error(
        `Kubernetes cluster configuration${
          problem.cluster ? ` of "${problem.cluster}"` : ''
        }${problem.entityRef ? ` (${problem.entityRef})` : ''}: ${
          problem.message
        }`,
      );
    }
    this.logged = keys;
  }
}
