import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  AnonymousStrategy,
  AwsIamStrategy,
  AzureIdentityStrategy,
  DispatchStrategy,
  GoogleServiceAccountStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  SERVICEACCOUNT_CA_PATH,
} from '@backstage/plugin-kubernetes-common';
import type {
  AuthenticationStrategy,
  ClusterDetails,
} from '@backstage/plugin-kubernetes-node';
import type {
  KubernetesSecurityCluster,
  KubernetesSecurityCredential,
} from '@internal/plugin-kubernetes-security-node';

/**
 * Strategies that authenticate as the signed-in user. Scheduled scans run with
 * no user present, so clusters using them cannot be scanned.
 */
export const USER_TOKEN_PROVIDERS: readonly string[] = [
  'google',
  'oidc',
  'aks',
];

/**
 * The official plugin's strategies that need no user: one instance each, as
 * the official plugin builds them.
 */
export function defaultAuthStrategies(options: {
  config: Config;
  logger: LoggerService;
}): Record<string, AuthenticationStrategy> {
  return {
    serviceAccount: new ServiceAccountStrategy(),
    aws: new AwsIamStrategy({ config: options.config }),
    azure: new AzureIdentityStrategy(options.logger),
    googleServiceAccount: new GoogleServiceAccountStrategy({
      config: options.config,
    }),
    localKubectlProxy: new AnonymousStrategy(),
  };
}

/** The official plugin's view of a cluster, which its strategies read. */
export function toClusterDetails(
  cluster: KubernetesSecurityCluster,
): ClusterDetails {
  return {
    name: cluster.name,
    ...(cluster.title ? { title: cluster.title } : {}),
    url: cluster.url,
    authMetadata: {
      ...cluster.authMetadata,
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: cluster.authProvider,
      ...(cluster.serviceAccountToken
        ? { serviceAccountToken: cluster.serviceAccountToken }
        : {}),
    },
    skipTLSVerify: cluster.skipTLSVerify ?? false,
    caData: cluster.caData,
    caFile: cluster.caFile,
  };
}

/**
 * Validates each cluster's auth against the official strategies and gives it
 * a credential source for scans.
 */
export class ClusterAuth {
  private readonly dispatch: DispatchStrategy;
  private readonly providers: string[];

  constructor(
    strategies: Record<string, AuthenticationStrategy>,
    /**
     * Whether Backstage runs in a Pod with a mounted ServiceAccount token,
     * which `serviceAccount` uses when no token is configured.
     */
    private readonly inClusterServiceAccount: boolean,
  ) {
    this.dispatch = new DispatchStrategy({ authStrategyMap: strategies });
    this.providers = Object.keys(strategies);
  }

  /** Why the cluster cannot be scanned; empty when it can. */
  problems(cluster: KubernetesSecurityCluster): string[] {
    const provider = cluster.authProvider;
    if (USER_TOKEN_PROVIDERS.includes(provider)) {
      return [
        `authProvider "${provider}" uses the signed-in user's token, which scheduled scans do not have; use ${this.providers.join(
          ', ',
        )}`,
      ];
    }
    if (!this.providers.includes(provider)) {
      return [
        `authProvider "${provider}" is not known; use ${this.providers.join(
          ', ',
        )}`,
      ];
    }
    if (
      provider === 'serviceAccount' &&
      !cluster.serviceAccountToken &&
      !cluster.authMetadata?.serviceAccountToken &&
      !this.inClusterServiceAccount
    ) {
      return [
        'authProvider serviceAccount needs serviceAccountToken (or Backstage running in a Pod with a mounted ServiceAccount token)',
      ];
    }
    return this.dispatch
      .validateCluster(toClusterDetails(cluster).authMetadata)
      .map(error => error.message);
  }

  /** The cluster with `getCredential` from its strategy. */
  withCredentials(
    cluster: KubernetesSecurityCluster,
  ): KubernetesSecurityCluster {
    const details = toClusterDetails(cluster);
    const usesPodToken =
      cluster.authProvider === 'serviceAccount' &&
      !details.authMetadata.serviceAccountToken;
    return {
      ...cluster,
      // The Pod's token goes with the Pod's CA, as in the official plugin.
      ...(usesPodToken && !cluster.caData && !cluster.caFile
        ? { caFile: SERVICEACCOUNT_CA_PATH }
        : {}),
      getCredential: async (): Promise<KubernetesSecurityCredential> => {
        const token = details.authMetadata.serviceAccountToken;
        // What ServiceAccountStrategy answers for a configured token, without
        // its dynamic import of client-node (which Jest cannot load).
        if (cluster.authProvider === 'serviceAccount' && token) {
          return { type: 'bearer token', token };
        }
        const credential = await this.dispatch.getCredential(details, {});
        // As the official plugin: only a kubectl proxy may be used without one.
        if (
          credential.type === 'anonymous' &&
          cluster.authProvider !== 'localKubectlProxy'
        ) {
          throw new Error(
            `authProvider ${cluster.authProvider} returned no bearer token or client certificate`,
          );
        }
        return credential;
      },
    };
  }
}
