import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY,
} from '@backstage/plugin-kubernetes-common';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import { caDataProblem } from './caBundle';
import type {
  ClusterConfigProblem,
  ClusterLocator,
  LocatedClusters,
} from './types';
import { HostLookup, validateLocatedApiServerUrl } from './urlValidation';

export interface CatalogLocatorOptions {
  dangerouslyAllowClusterUrls?: string[];
  dangerouslyAllowSkipTLSVerify?: boolean;
}

export function readCatalogLocatorOptions(
  method: Config,
): CatalogLocatorOptions {
  return {
    dangerouslyAllowClusterUrls: method.getOptionalStringArray(
      'dangerouslyAllowClusterUrls',
    ),
    dangerouslyAllowSkipTLSVerify: method.getOptionalBoolean(
      'dangerouslyAllowSkipTLSVerify',
    ),
  };
}

// Only `kubernetes.io/*` annotations reach the auth strategy, never a token:
// the catalog is editable by many, cluster credentials are not.
const KUBERNETES_IO_PREFIX = 'kubernetes.io/';
const BLOCKED_AUTH_METADATA = new Set(['serviceAccountToken']);

/**
 * One `kubernetes-cluster` Resource as a cluster, with the official catalog
 * locator's hardening: the URL must pass the SSRF checks, `serviceAccount`
 * auth is refused (it would send Backstage's own Pod token to a URL anyone
 * with catalog access chose), and TLS verification is only skipped when the
 * operator allowed it.
 */
export async function clusterFromResource(
  entity: Entity,
  options: CatalogLocatorOptions & { lookup: HostLookup },
): Promise<{ cluster?: KubernetesSecurityCluster; problems: string[] }> {
  const annotations = entity.metadata.annotations ?? {};
  const authProvider = annotations[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  if (authProvider === 'serviceAccount') {
    return {
      problems: [
        `${ANNOTATION_KUBERNETES_AUTH_PROVIDER} serviceAccount is not accepted on catalog clusters (as in the official plugin): put the cluster and its token under the config locator, or use aws, azure, googleServiceAccount or localKubectlProxy`,
      ],
    };
  }
  let url: URL;
  try {
    url = await validateLocatedApiServerUrl(
      annotations[ANNOTATION_KUBERNETES_API_SERVER],
      options,
    );
  } catch (error) {
    return {
      problems: [
        `${ANNOTATION_KUBERNETES_API_SERVER}: ${(error as Error).message}`,
      ],
    };
  }
  const problems: string[] = [];
  // A CA means nothing on plain http (only allowed to trusted hosts), where
  // the official locator still requires the annotation to be present.
  const caData = annotations[ANNOTATION_KUBERNETES_API_SERVER_CA]?.trim();
  if (url.protocol === 'https:' && caData) {
    const problem = caDataProblem(caData);
    if (problem) {
      return {
        problems: [`${ANNOTATION_KUBERNETES_API_SERVER_CA} ${problem}`],
      };
    }
  }
  const wantsSkipTls =
    annotations[ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY] === 'true';
  const skipTLSVerify =
    wantsSkipTls && (options.dangerouslyAllowSkipTLSVerify ?? false);
  if (wantsSkipTls && !skipTLSVerify) {
    problems.push(
      `${ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY} is ignored: the catalog locator does not set dangerouslyAllowSkipTLSVerify, so TLS is verified`,
    );
  }
  const authMetadata = Object.fromEntries(
    Object.entries(annotations).filter(
      ([key]) =>
        key.startsWith(KUBERNETES_IO_PREFIX) && !BLOCKED_AUTH_METADATA.has(key),
    ),
  );
  return {
    cluster: {
      name: entity.metadata.name,
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      url: url.toString().replace(/\/$/, ''),
      authProvider,
      authMetadata,
      ...(url.protocol === 'https:' && caData ? { caData } : {}),
      skipTLSVerify,
      source: 'catalog',
      entityRef: stringifyEntityRef(entity),
    },
    problems,
  };
}

/**
 * The `catalog` locator: Resources of `spec.type: kubernetes-cluster` with
 * the API-server, CA and auth-provider annotations, read with the plugin's
 * own credentials (scans have no user).
 */
export class CatalogClusterLocator implements ClusterLocator {
  readonly description = 'catalog';
  readonly deferUntilStartup = true;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      lookup: HostLookup;
    },
    private readonly options: CatalogLocatorOptions,
  ) {}

  async locate(): Promise<LocatedClusters> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': 'kubernetes-cluster',
          [`metadata.annotations.${ANNOTATION_KUBERNETES_API_SERVER}`]:
            CATALOG_FILTER_EXISTS,
          [`metadata.annotations.${ANNOTATION_KUBERNETES_API_SERVER_CA}`]:
            CATALOG_FILTER_EXISTS,
          [`metadata.annotations.${ANNOTATION_KUBERNETES_AUTH_PROVIDER}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const clusters: KubernetesSecurityCluster[] = [];
    const problems: ClusterConfigProblem[] = [];
    for (const entity of items) {
      const found = await clusterFromResource(entity, {
        ...this.options,
        lookup: this.deps.lookup,
      });
      problems.push(
        ...found.problems.map(message => ({
          cluster: entity.metadata.name,
          locator: this.description,
          entityRef: stringifyEntityRef(entity),
          message,
        })),
      );
      if (found.cluster) clusters.push(found.cluster);
    }
    return { clusters, problems };
  }
}
