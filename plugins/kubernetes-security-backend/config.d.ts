import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * Read with the same meaning as the official Kubernetes plugin, so one
   * configuration serves both plugins.
   */
  kubernetes?: {
    /** How entities map to clusters. Default `multiTenant` (every cluster). */
    serviceLocatorMethod?: {
      type: 'multiTenant' | 'singleTenant';
    };
    clusterLocatorMethods?: Array<{
      /** Only `config` is supported so far; other types are reported as configuration errors. */
      type: string;
      clusters?: Array<{
        /** Base URL of the API server (https, or http on loopback). */
        url: string;
        /** Unique cluster name. */
        name: string;
        title?: string;
        /** Auth strategy. Scheduled scans support `serviceAccount`. */
        authProvider?: string;
        /**
         * Bearer token of the ServiceAccount the plugin reads as.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification. Only for clusters you trust on a trusted network. */
        skipTLSVerify?: boolean;
        /**
         * Base64 PEM CA bundle of the API server.
         * @visibility secret
         */
        caData?: string;
        /** Path to a PEM CA bundle of the API server. */
        caFile?: string;
        /** Accepted for compatibility with the official plugin; not used by scans. */
        skipMetricsLookup?: boolean;
        dashboardUrl?: string;
        dashboardApp?: string;
      }>;
    }>;
  };

  kubernetesSecurity?: {
    /**
     * When each cluster is scanned. Default: every 10 minutes, first run 15
     * seconds after start-up, 15-minute timeout.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Items per LIST request page. Default 500. */
    pageSize?: number;
    /** Timeout of one API request, in milliseconds. Default 30000. */
    requestTimeoutMs?: number;
    /** Catalog entity kinds to scan. Default `[Component]`. */
    entityKinds?: string[];
  };
}
