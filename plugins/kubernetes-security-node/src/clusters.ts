/**
 * A cluster the plugin scans, in the same terms as the official Kubernetes
 * plugin's `kubernetes.clusterLocatorMethods` config.
 */
export interface KubernetesSecurityCluster {
  /** Unique name, shown to users and used in reports. */
  name: string;
  title?: string;
  /** Base URL of the API server. */
  url: string;
  /** Auth strategy, e.g. `serviceAccount`. */
  authProvider: string;
  /** Bearer token for `serviceAccount` auth. Never logged or returned by the API. */
  serviceAccountToken?: string;
  /** PEM CA bundle, base64-encoded as in kubeconfig files. */
  caData?: string;
  /** Path to a PEM CA bundle. */
  caFile?: string;
  /** Only when the operator configured it explicitly. */
  skipTLSVerify?: boolean;
}

/**
 * Supplies clusters to scan. The plugin reads `kubernetes.clusterLocatorMethods`
 * itself; modules add suppliers for clusters that come from elsewhere.
 */
export interface KubernetesSecurityClusterSupplier {
  getClusters(): Promise<KubernetesSecurityCluster[]>;
}
