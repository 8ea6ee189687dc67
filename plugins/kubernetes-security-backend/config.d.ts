import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * Read with the same meaning as the official Kubernetes plugin, so one
   * configuration serves both plugins.
   */
  kubernetes?: {
    /**
     * How entities map to clusters. Default `multiTenant` (every cluster);
     * `singleTenant` honours `backstage.io/kubernetes-cluster`;
     * `catalogRelation` follows `dependsOn` relations to the cluster Resources.
     */
    serviceLocatorMethod?: {
      type: 'multiTenant' | 'singleTenant' | 'catalogRelation';
    };
    /**
     * When a locator method fails: `false` (default) keeps the last complete
     * cluster list, `true` uses the clusters of the methods that answered.
     */
    clusterLocatorContinueOnError?: boolean;
    /**
     * Google service account key (JSON) for `googleServiceAccount` auth and
     * the `gke` locator; default Application Default Credentials.
     * @visibility secret
     */
    googleServiceAccountCredentials?: string;
    clusterLocatorMethods?: Array<{
      /** `config`, `catalog`, `gke` or `localKubectlProxy`; others are reported as configuration errors. */
      type: string;
      /** catalog: hosts (`127.0.0.1`, `*.corp.example.com`) allowed over http or at non-public addresses. */
      dangerouslyAllowClusterUrls?: string[];
      /** catalog: lets Resources skip TLS verification with `kubernetes.io/skip-tls-verify`. */
      dangerouslyAllowSkipTLSVerify?: boolean;
      /**
       * catalog: URL patterns a Resource's `kubernetes.io/api-server` must match,
       * `scheme://host[:port]` with an optional leading `*.` in the host
       * (`https://*.eks.amazonaws.com`). None by default, so no catalog cluster
       * is scanned until the operator says where credentials may be sent.
       */
      allowedClusterUrls?: string[];
      /**
       * catalog: auth providers Resources may name (`aws`, `azure`,
       * `googleServiceAccount`, `localKubectlProxy`). None by default: these
       * send the backend's own cloud identity to the Resource's URL.
       */
      allowedAuthProviders?: string[];
      /** catalog: patterns (`*` is any text) a Resource's `kubernetes.io/aws-assume-role` must match. None by default. */
      allowedAssumeRoles?: string[];
      /** catalog: how many catalog clusters are scanned at most, in entity-ref order; default 20. */
      maxClusters?: number;
      /** gke: the Google Cloud project. */
      projectId?: string;
      /** gke: region or zone; default every location. */
      region?: string;
      /** gke: `googleServiceAccount` for scans (the default, `google`, needs a signed-in user). */
      authProvider?: string;
      /** gke: skips TLS verification of the clusters. */
      skipTLSVerify?: boolean;
      skipMetricsLookup?: boolean;
      exposeDashboard?: boolean;
      /** gke: only clusters with all these resource labels. */
      matchingResourceLabels?: Array<{ key: string; value: string }>;
      /** gke: `public` (IP endpoint, default) or `dns`. */
      endpointType?: string;
      clusters?: Array<{
        /** Base URL of the API server (https, or http on loopback). */
        url: string;
        /** Unique cluster name. */
        name: string;
        title?: string;
        /**
         * Auth strategy. Scheduled scans support `serviceAccount`, `aws`,
         * `azure`, `googleServiceAccount` and `localKubectlProxy`; `google`,
         * `oidc` and `aks` need a signed-in user and are reported.
         */
        authProvider?: string;
        /** aws: IAM role to assume. */
        assumeRole?: string;
        /**
         * aws: external ID for the role's trust policy.
         * @visibility secret
         */
        externalId?: string;
        oidcTokenProvider?: string;
        /**
         * Extra auth metadata (`kubernetes.io/*` keys) for the auth strategy.
         * @visibility secret
         */
        authMetadata?: { [key: string]: string };
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
    /**
     * Largest API response body read, in bytes, counted after gzip
     * decompression; a larger one fails that list. Default 67108864 (64 MiB).
     */
    maxResponseBytes?: number;
    /**
     * Most pages (`continue` tokens) one list may take; a longer list fails.
     * Default 1000.
     */
    maxListPages?: number;
    /**
     * Retries of an API request answered with 429 or 5xx, or whose connection
     * dropped, with exponential backoff and at least the `Retry-After` asked
     * (up to 30 s). Only GETs and access reviews are retried. Default 3.
     */
    requestRetries?: number;
    /**
     * Longest scan of one cluster, in milliseconds; a scan aborted by it (or
     * by the schedule's timeout) keeps the last good reports, marked stale.
     * Default 600000 (10 minutes).
     */
    scanTimeoutMs?: number;
    /** Catalog entity kinds to scan. Default `[Component]`. */
    entityKinds?: string[];
    /**
     * How often clusters are located again, so catalog and GKE changes are
     * scanned without a restart. Default one minute.
     */
    clusterRefresh?:
      | { days?: number; hours?: number; minutes?: number; seconds?: number }
      | string;
    /**
     * How long reports of a cluster that is no longer located (removed from
     * config, the catalog or GKE) are kept before they are dropped. Default
     * one day.
     */
    removedClusterRetention?:
      | { days?: number; hours?: number; minutes?: number; seconds?: number }
      | string;
    /**
     * How many clusters this backend scans at the same time; the others wait
     * their turn. Each running scan holds one cluster's objects in memory, so
     * this bounds the scan's peak memory. Default 2.
     */
    maxConcurrentScans?: number;
    /**
     * How long an entity view reuses the authorization decisions it got for
     * the same token (may it read the entity, in the catalog; which clusters'
     * panels may it see), so that repeated views do not ask the catalog and the
     * permission backend each time. Concurrent views of one token share one
     * request either way. Never past the token's expiry; 0 asks on every view.
     * Default 10 seconds.
     */
    reuseAuthorizationFor?:
      | { days?: number; hours?: number; minutes?: number; seconds?: number }
      | string;
    /** Container image signature verification with sigstore (cosign `.sig` and bundles). */
    signatures?: {
      /** Default true. */
      enabled?: boolean;
      /** Rules by image glob (`registry.example.com/team/**`), first match wins; `kubernetes-release` is built in for `registry.k8s.io/**`. */
      policies?: Array<{
        /** Also what `kubernetes-security.io/image-policy` on an entity names. */
        name: string;
        images: string[];
        /** Distinct signers that must match an authority. Default 1. */
        threshold?: number;
        authorities: Array<{
          /** SAN exactly (`identity`) or by a regex anchored at both ends (`identityRegExp`); issuer exactly. */
          keyless?: {
            identity?: string;
            identityRegExp?: string;
            issuer: string;
          };
          /** A PEM public key; `ignoreTlog` accepts signatures without a Rekor entry. */
          key?: {
            publicKey?: string;
            publicKeyFile?: string;
            ignoreTlog?: boolean;
          };
        }>;
      }>;
      /** Drops the built-in `kubernetes-release` policy. */
      disableBuiltInPolicies?: boolean;
      trust?: {
        /** Air-gapped: sigstore `trusted_root.json` files instead of TUF. */
        trustedRootFiles?: string[];
        /** Sigstore public-good through TUF. */
        tuf?: { cachePath?: string; mirrorUrl?: string };
      };
      registries?: Array<{
        /** Registry host as in image references, e.g. `ghcr.io`, `docker.io`. */
        host: string;
        username?: string;
        /** @visibility secret */
        password?: string;
        /** @visibility secret */
        identityToken?: string;
        /** Plain HTTP (loopback hosts always are). */
        insecure?: boolean;
        /** Reach this registry at another base URL, e.g. a pull-through mirror. */
        mirror?: string;
      }>;
      /**
       * Where registry requests may go. Image references, and so the hosts
       * the backend contacts, are chosen by anyone who can create a Pod. By
       * default any registry is reached, private addresses (10.0.0.0/8,
       * 172.16.0.0/12, 192.168.0.0/16, fc00::/7) included, but never a
       * loopback, unspecified, link-local or cloud metadata address. Every
       * address a host name resolves to is checked when connecting, and on
       * every redirect. A refused request gives the `registry-refused` state.
       */
      registryAccess?: {
        /**
         * When set, the only hosts contacted: the registries, their token
         * services and the storage hosts they redirect downloads to. Entries
         * are host names (`ghcr.io`), `*.example.com` (any subdomain), IP
         * addresses or CIDR ranges (`10.20.0.0/16`, matched against every
         * address a name resolves to); no ports. Default: any host.
         */
        allowHosts?: string[];
        /**
         * Hosts never contacted, in the same forms as `allowHosts`; wins over
         * it. E.g. `[10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]` keeps
         * registry requests off private networks. Default: none.
         */
        denyHosts?: string[];
        /**
         * Allow loopback (127.0.0.0/8, ::1) and unspecified (0.0.0.0/8, ::)
         * addresses, e.g. for a registry or mirror on the backend's machine.
         * Default false.
         */
        allowLoopback?: boolean;
        /**
         * Allow link-local addresses (169.254.0.0/16, fe80::/10). Cloud
         * metadata addresses (169.254.169.254, fd00:ec2::254,
         * 100.100.100.200, …) stay refused. Default false.
         */
        allowLinkLocal?: boolean;
        /**
         * Token services a registry may send the backend to (the realm of
         * its `WWW-Authenticate: Bearer` challenge) on another host than its
         * own; they receive the registry's credentials. Same forms as
         * `allowHosts`. Docker Hub's `auth.docker.io` is always allowed for
         * Docker Hub. Default: none.
         */
        allowTokenRealmHosts?: string[];
        /** Largest manifest, index or referrers list read, in bytes. Default 4194304 (4 MiB). */
        maxManifestBytes?: number;
        /** Largest signature payload or bundle read, in bytes. Default 262144 (256 KiB). */
        maxBlobBytes?: number;
      };
      /**
       * Use workloads' imagePullSecrets as registry credentials. Default false.
       * This is the only case in which the plugin reads Secret values: it then
       * needs `get` on those Secrets (not in the shipped ClusterRole).
       */
      usePullSecrets?: boolean;
      cache?: {
        /** Verified results and cryptographic failures. Default 7 days. */
        verified?: { days?: number; hours?: number; minutes?: number } | string;
        /** Unsigned results. Default 1 hour. */
        unsigned?: { days?: number; hours?: number; minutes?: number } | string;
      };
      /** Digests verified at once. Default 4. */
      concurrency?: number;
      /** Requests in flight per registry. Default 4. */
      maxConcurrencyPerRegistry?: number;
      /** Timeout of one registry request, in milliseconds. Default 15000. */
      requestTimeoutMs?: number;
    };
    /** Daily scores for trends and team scorecards. */
    history?: {
      /** Days of history kept; older days are deleted daily. Default 90. */
      retentionDays?: number;
    };
  };
}
