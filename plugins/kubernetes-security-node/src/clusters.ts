/**
 * How requests to a cluster authenticate, in the terms of the official
 * Kubernetes plugin's `KubernetesCredential`.
 */
export type KubernetesSecurityCredential =
  | { type: 'bearer token'; token: string }
  | { type: 'x509 client certificate'; cert: string; key: string }
  | { type: 'anonymous' };

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
  /** Auth strategy, e.g. `serviceAccount`, `aws`, `localKubectlProxy`. */
  authProvider: string;
  /** Bearer token for `serviceAccount` auth. Never logged or returned by the API. */
  serviceAccountToken?: string;
  /**
   * What the auth strategy reads, as the official plugin's `authMetadata`
   * (`kubernetes.io/auth-provider`, `kubernetes.io/aws-assume-role`, …).
   */
  authMetadata?: Record<string, string>;
  /** PEM CA bundle, base64-encoded as in kubeconfig files. */
  caData?: string;
  /** Path to a PEM CA bundle. */
  caFile?: string;
  /** Only when the operator configured it explicitly. */
  skipTLSVerify?: boolean;
  /** Which locator found it: `config`, `catalog`, `gke`, `localKubectlProxy` or a supplier. */
  source?: string;
  /** The `kubernetes-cluster` Resource a catalog-located cluster comes from. */
  entityRef?: string;
  /**
   * The credential for the next requests, from the cluster's auth strategy.
   * Called again when a cached credential gets old, so short-lived tokens
   * (AWS, Azure, Google) are renewed. Without it, `serviceAccountToken` is used.
   */
  getCredential?: () => Promise<KubernetesSecurityCredential>;
  /**
   * Why an address the cluster's host resolves to must not be connected to;
   * `undefined` when it may. Asked for every connection, after DNS, so a
   * host name validated once cannot be re-pointed later (DNS rebinding).
   * Set for clusters whose URL comes from user-controlled data, such as
   * catalog Resources.
   */
  refuseAddress?: (address: string) => string | undefined;
}

/**
 * Supplies clusters to scan. The plugin reads `kubernetes.clusterLocatorMethods`
 * itself; modules add suppliers for clusters that come from elsewhere. Called
 * again at every refresh of the cluster list, so clusters may come and go.
 */
export interface KubernetesSecurityClusterSupplier {
  getClusters(): Promise<KubernetesSecurityCluster[]>;
}
