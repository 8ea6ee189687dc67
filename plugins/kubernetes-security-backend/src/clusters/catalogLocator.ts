import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY,
} from '@backstage/plugin-kubernetes-common';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import { caDataProblem } from './caBundle';
import type {
  ClusterConfigProblem,
  ClusterLocator,
  LocatedClusters,
} from './types';
import {
  HostLookup,
  isAllowedHost,
  isNonPublicAddress,
  parseClusterUrlPattern,
  validateLocatedApiServerUrl,
} from './urlValidation';

export interface CatalogLocatorOptions {
  dangerouslyAllowClusterUrls?: string[];
  dangerouslyAllowSkipTLSVerify?: boolean;
  /**
   * URL patterns (`https://*.eks.amazonaws.com`) a Resource's API server must
   * match. None by default: the operator says where credentials may go.
   */
  allowedClusterUrls?: string[];
  /** Auth providers Resources may name. None by default. */
  allowedAuthProviders?: string[];
  /** Patterns (`*` is any text) for `kubernetes.io/aws-assume-role`. None by default. */
  allowedAssumeRoles?: string[];
  /** How many catalog clusters are scanned at most. */
  maxClusters?: number;
}

export const DEFAULT_MAX_CATALOG_CLUSTERS = 20;

/** Reads the catalog method's options; throws on a pattern that cannot be read. */
export function readCatalogLocatorOptions(
  method: Config,
): CatalogLocatorOptions {
  const options: CatalogLocatorOptions = {
    dangerouslyAllowClusterUrls: method.getOptionalStringArray(
      'dangerouslyAllowClusterUrls',
    ),
    dangerouslyAllowSkipTLSVerify: method.getOptionalBoolean(
      'dangerouslyAllowSkipTLSVerify',
    ),
    allowedClusterUrls: method.getOptionalStringArray('allowedClusterUrls'),
    allowedAuthProviders: method.getOptionalStringArray('allowedAuthProviders'),
    allowedAssumeRoles: method.getOptionalStringArray('allowedAssumeRoles'),
    maxClusters: method.getOptionalNumber('maxClusters'),
  };
  for (const pattern of options.allowedClusterUrls ?? []) {
    parseClusterUrlPattern(pattern);
  }
  const max = options.maxClusters;
  if (max !== undefined && (!Number.isInteger(max) || max < 0)) {
    throw new Error(`maxClusters must be a whole number, not ${max}`);
  }
  return options;
}

// Only `kubernetes.io/*` annotations reach the auth strategy, never a token:
// the catalog is editable by many, cluster credentials are not.
const KUBERNETES_IO_PREFIX = 'kubernetes.io/';
const BLOCKED_AUTH_METADATA = new Set(['serviceAccountToken']);

/**
 * One `kubernetes-cluster` Resource as a cluster. Anyone who can register a
 * Resource chooses its URL and auth annotations, while the credentials the
 * scan sends are the backend's own (its cloud identity, an assumed role): so
 * beyond the official catalog locator's hardening (SSRF checks, no
 * `serviceAccount`, TLS skipped only when allowed), the operator's config
 * must allow the auth provider, the assumed role and the URL, and every
 * connection re-checks the address the host resolves to.
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
  const refusal = credentialRefusal(annotations, options);
  if (refusal) return { problems: [refusal] };
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
  const allowedUrls = options.allowedClusterUrls ?? [];
  if (!allowedUrls.some(pattern => parseClusterUrlPattern(pattern)(url))) {
    return {
      problems: [
        `${ANNOTATION_KUBERNETES_API_SERVER} "${
          url.origin
        }" matches no allowedClusterUrls pattern of the catalog locator (${
          allowedUrls.length ? allowedUrls.join(', ') : 'none are set'
        }): the scan would send the backend's credentials there`,
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
      ...(isAllowedHost(
        url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(),
        options.dangerouslyAllowClusterUrls ?? [],
      )
        ? {}
        : { refuseAddress: refusePrivateAddress }),
    },
    problems,
  };
}

function refusePrivateAddress(address: string): string | undefined {
  return isNonPublicAddress(address)
    ? 'a non-public address, which catalog clusters may only use when the host is listed in dangerouslyAllowClusterUrls'
    : undefined;
}

/** Why the Resource may not use the backend's credentials as it asks. */
function credentialRefusal(
  annotations: Record<string, string>,
  options: CatalogLocatorOptions,
): string | undefined {
  const authProvider = annotations[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  const allowedProviders = options.allowedAuthProviders ?? [];
  if (!allowedProviders.includes(authProvider)) {
    return `${ANNOTATION_KUBERNETES_AUTH_PROVIDER} "${authProvider}" is not in allowedAuthProviders of the catalog locator (${
      allowedProviders.length ? allowedProviders.join(', ') : 'none are set'
    }): catalog clusters only get the auth providers the operator allows`;
  }
  const role = annotations[ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE];
  if (
    role !== undefined &&
    !(options.allowedAssumeRoles ?? []).some(pattern =>
      globMatches(pattern, role),
    )
  ) {
    return `${ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE} "${role}" matches no allowedAssumeRoles pattern of the catalog locator: catalog clusters only assume roles the operator allows`;
  }
  return undefined;
}

function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
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
    const maxClusters =
      this.options.maxClusters ?? DEFAULT_MAX_CATALOG_CLUSTERS;
    // In entity-ref order, so the cap keeps the same clusters at every refresh.
    const sorted = items
      .map(entity => ({ entity, ref: stringifyEntityRef(entity) }))
      .sort((a, b) => a.ref.localeCompare(b.ref));
    for (const { entity, ref } of sorted) {
      const found = await clusterFromResource(entity, {
        ...this.options,
        lookup: this.deps.lookup,
      });
      const report = (message: string) =>
        problems.push({
          cluster: entity.metadata.name,
          locator: this.description,
          entityRef: ref,
          message,
        });
      found.problems.forEach(report);
      if (!found.cluster) continue;
      if (clusters.length >= maxClusters) {
        report(
          `not scanned: the catalog locator's maxClusters (${maxClusters}) is reached`,
        );
        continue;
      }
      clusters.push(found.cluster);
    }
    return { clusters, problems };
  }
}
