import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';

/** A configuration mistake, reported at start-up and on the clusters endpoint. */
export interface ClusterConfigProblem {
  /** The cluster it concerns; absent when a whole locator method failed. */
  cluster?: string;
  message: string;
  /** The locator method that found it, e.g. `config`, `catalog` or `gke`. */
  locator?: string;
  /** The `kubernetes-cluster` Resource to fix, for catalog-located clusters. */
  entityRef?: string;
}

export interface LocatedClusters {
  clusters: KubernetesSecurityCluster[];
  problems: ClusterConfigProblem[];
}

/**
 * One entry of `kubernetes.clusterLocatorMethods` (or a supplier from the
 * extension point). `locate` reports bad clusters as problems and throws only
 * when the method as a whole failed, e.g. the catalog or GKE did not answer.
 */
export interface ClusterLocator {
  /** Which method this is, for messages: `config`, `catalog`, `gke #3`. */
  readonly description: string;
  /**
   * Set when locating needs other plugins or slow remote calls (catalog,
   * GKE): such locators are first asked once the backend has started.
   */
  readonly deferUntilStartup?: boolean;
  locate(): Promise<LocatedClusters>;
}
