import type { Config } from '@backstage/config';
import { GoogleServiceAccountStrategy } from '@backstage/plugin-kubernetes-backend';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import fetch from 'node-fetch';
import { caDataProblem } from './caBundle';
import type {
  ClusterConfigProblem,
  ClusterLocator,
  LocatedClusters,
} from './types';
import { validateApiServerUrl } from './urlValidation';

export interface GkeLocatorOptions {
  projectId: string;
  /** A region or zone; `-` (the default) means every location. */
  region: string;
  /** `googleServiceAccount` (scans can use it) or `google` (the official default). */
  authProvider: 'google' | 'googleServiceAccount';
  skipTLSVerify: boolean;
  endpointType: 'public' | 'dns';
  matchingResourceLabels: { key: string; value: string }[];
}

export function readGkeLocatorOptions(method: Config): GkeLocatorOptions {
  const endpointType = method.getOptionalString('endpointType') ?? 'public';
  if (endpointType !== 'public' && endpointType !== 'dns') {
    throw new Error(
      `Invalid endpointType "${endpointType}"; use public or dns`,
    );
  }
  return {
    projectId: method.getString('projectId'),
    region: method.getOptionalString('region') ?? '-',
    // As the official locator: anything but googleServiceAccount means google.
    authProvider:
      method.getOptionalString('authProvider') === 'googleServiceAccount'
        ? 'googleServiceAccount'
        : 'google',
    skipTLSVerify: method.getOptionalBoolean('skipTLSVerify') ?? false,
    endpointType,
    matchingResourceLabels: (
      method.getOptionalConfigArray('matchingResourceLabels') ?? []
    ).map(label => ({
      key: label.getString('key'),
      value: label.getString('value'),
    })),
  };
}

/** The fields of the Container API's `Cluster` resource the locator reads. */
export interface GkeCluster {
  name?: string;
  endpoint?: string;
  status?: string;
  resourceLabels?: Record<string, string>;
  masterAuth?: { clusterCaCertificate?: string };
  controlPlaneEndpointsConfig?: {
    dnsEndpointConfig?: { endpoint?: string };
  };
}

/** Clusters of one `projects.locations.clusters.list` answer, as scan targets. */
export function clustersFromGke(
  listed: GkeCluster[],
  options: GkeLocatorOptions,
): LocatedClusters {
  const clusters: KubernetesSecurityCluster[] = [];
  const problems: ClusterConfigProblem[] = [];
  const matching = listed.filter(cluster =>
    options.matchingResourceLabels.every(
      ({ key, value }) => cluster.resourceLabels?.[key] === value,
    ),
  );
  for (const gke of matching) {
    const name = gke.name ?? 'unknown';
    const fail = (message: string) =>
      problems.push({ cluster: name, locator: 'gke', message });
    const dnsEndpoint =
      options.endpointType === 'dns'
        ? gke.controlPlaneEndpointsConfig?.dnsEndpointConfig?.endpoint
        : undefined;
    const host = dnsEndpoint ?? gke.endpoint;
    if (!gke.name || !host) {
      fail(
        `GKE lists the cluster without ${gke.name ? 'an endpoint' : 'a name'}${
          gke.status ? ` (status ${gke.status})` : ''
        }`,
      );
      continue;
    }
    let url: URL;
    try {
      url = validateApiServerUrl(`https://${host}`);
    } catch (error) {
      fail(`Invalid endpoint: ${(error as Error).message}`);
      continue;
    }
    // The IP endpoint presents a certificate of the cluster's own CA; the DNS
    // endpoint a publicly trusted one.
    const caData = dnsEndpoint
      ? undefined
      : gke.masterAuth?.clusterCaCertificate;
    if (caData) {
      const problem = caDataProblem(caData);
      if (problem) {
        fail(`masterAuth.clusterCaCertificate ${problem}`);
        continue;
      }
    }
    clusters.push({
      name: gke.name,
      url: url.toString().replace(/\/$/, ''),
      authProvider: options.authProvider,
      skipTLSVerify: options.skipTLSVerify,
      ...(caData ? { caData } : {}),
      source: 'gke',
    });
  }
  return { clusters, problems };
}

export const GKE_API = 'https://container.googleapis.com';

/**
 * The `gke` locator: lists a project's clusters with the Container API's REST
 * endpoint `GET /v1/projects/{project}/locations/{location}/clusters`. The
 * access token comes from the official GoogleServiceAccountStrategy, i.e.
 * `kubernetes.googleServiceAccountCredentials` or Application Default
 * Credentials, the same identity the official locator lists clusters with.
 */
export class GkeClusterLocator implements ClusterLocator {
  readonly description: string;
  readonly deferUntilStartup = true;

  constructor(
    private readonly options: GkeLocatorOptions,
    private readonly deps: {
      getAccessToken: () => Promise<string>;
      /** Container API base URL; a local fake in tests. */
      apiBase?: string;
      timeoutMs?: number;
    },
  ) {
    this.description = `gke (project ${options.projectId}, location ${options.region})`;
  }

  static fromConfig(method: Config, config: Config): GkeClusterLocator {
    const strategy = new GoogleServiceAccountStrategy({ config });
    return new GkeClusterLocator(readGkeLocatorOptions(method), {
      getAccessToken: async () => {
        const credential = await strategy.getCredential();
        if (credential.type !== 'bearer token') {
          throw new Error('Google credentials gave no access token');
        }
        return credential.token;
      },
    });
  }

  async locate(): Promise<LocatedClusters> {
    const { projectId, region } = this.options;
    const parent = `projects/${encodeURIComponent(
      projectId,
    )}/locations/${encodeURIComponent(region)}`;
    const token = await this.deps.getAccessToken();
    const response = await fetch(
      `${this.deps.apiBase ?? GKE_API}/v1/${parent}/clusters`,
      {
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
        },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 30_000) as any,
      },
    );
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `GKE answered HTTP ${
          response.status
        } listing clusters of ${parent}${googleErrorMessage(text)}`,
      );
    }
    let body: { clusters?: GkeCluster[]; missingZones?: string[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(
        `GKE returned invalid JSON listing clusters of ${parent}`,
      );
    }
    const located = clustersFromGke(
      Array.isArray(body.clusters) ? body.clusters : [],
      this.options,
    );
    if (body.missingZones?.length) {
      located.problems.push({
        locator: 'gke',
        message: `GKE could not list clusters in ${body.missingZones.join(
          ', ',
        )}; clusters there are missing until it can`,
      });
    }
    return located;
  }
}

function googleErrorMessage(body: string): string {
  try {
    const message = JSON.parse(body)?.error?.message;
    return typeof message === 'string' ? `: ${message}` : '';
  } catch {
    return '';
  }
}
