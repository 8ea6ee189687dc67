import type { Config } from '@backstage/config';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
  ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER,
} from '@backstage/plugin-kubernetes-common';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import { readFileSync } from 'node:fs';
import { caBundleProblem, caDataProblem } from './caBundle';
import type { ClusterConfigProblem, LocatedClusters } from './types';
import { validateApiServerUrl } from './urlValidation';

export interface ConfigLocatorOptions {
  /** Reads `caFile`; injectable for tests. */
  readFile?: (path: string) => string;
}

/**
 * The `config` locator: `clusters` of one `clusterLocatorMethods` entry, read
 * as the official plugin reads them. Each bad entry becomes a problem naming
 * the cluster; the others are kept.
 */
export function readConfigClusters(
  method: Config,
  options: ConfigLocatorOptions = {},
): LocatedClusters {
  const readFile = options.readFile ?? (path => readFileSync(path, 'utf8'));
  const problems: ClusterConfigProblem[] = [];
  const clusters: KubernetesSecurityCluster[] = [];
  const entries = method.getOptionalConfigArray('clusters') ?? [];
  for (const [index, entry] of entries.entries()) {
    const name = entry.getOptionalString('name');
    const fail = (message: string) =>
      problems.push({
        cluster: name ?? `clusters[${index}]`,
        locator: 'config',
        message,
      });
    try {
      if (!name) {
        fail('has no name');
        continue;
      }
      const cluster = readCluster(entry, name, readFile);
      if (typeof cluster === 'string') {
        fail(cluster);
      } else if (clusters.some(c => c.name === name)) {
        fail('Duplicate cluster name; only the first is scanned');
      } else {
        clusters.push(cluster);
      }
    } catch (error) {
      // Wrong value types, e.g. a list where a string belongs.
      fail((error as Error).message);
    }
  }
  return { clusters, problems };
}

/** The cluster, or why it cannot be used. */
function readCluster(
  entry: Config,
  name: string,
  readFile: (path: string) => string,
): KubernetesSecurityCluster | string {
  const authMetadataBlock =
    entry.getOptional<Record<string, unknown>>('authMetadata');
  const authMetadata = {
    ...stringValues(authMetadataBlock),
    ...pickDefined({
      [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE]:
        entry.getOptionalString('assumeRole'),
      [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID]:
        entry.getOptionalString('externalId'),
      [ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER]:
        entry.getOptionalString('oidcTokenProvider'),
    }),
  };
  // As the official plugin, the authMetadata block wins over authProvider.
  const authProvider =
    authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
    entry.getOptionalString('authProvider');
  if (!authProvider) {
    return `has no auth provider; set authProvider (or authMetadata.${ANNOTATION_KUBERNETES_AUTH_PROVIDER})`;
  }
  let url: URL;
  try {
    url = validateApiServerUrl(entry.getString('url'));
  } catch (error) {
    return `Invalid url: ${(error as Error).message}`;
  }
  const caData = entry.getOptionalString('caData');
  const caFile = entry.getOptionalString('caFile');
  if (caData) {
    const problem = caDataProblem(caData);
    if (problem) return `caData ${problem}`;
  }
  if (caFile) {
    let pem: string;
    try {
      pem = readFile(caFile);
    } catch (error) {
      return `caFile ${caFile} cannot be read: ${
        (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }`;
    }
    const problem = caBundleProblem(pem);
    if (problem) return `caFile ${caFile} ${problem}`;
  }
  const serviceAccountToken =
    entry.getOptionalString('serviceAccountToken') ??
    authMetadata.serviceAccountToken;
  const title = entry.getOptionalString('title');
  const { serviceAccountToken: _token, ...otherMetadata } = authMetadata;
  return {
    name,
    ...(title ? { title } : {}),
    url: url.toString().replace(/\/$/, ''),
    authProvider,
    ...(serviceAccountToken ? { serviceAccountToken } : {}),
    ...(Object.keys(otherMetadata).length
      ? { authMetadata: otherMetadata }
      : {}),
    skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
    ...(caData ? { caData } : {}),
    ...(caFile ? { caFile } : {}),
    source: 'config',
  };
}

function stringValues(
  block: Record<string, unknown> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(block ?? {}).filter(
      (pair): pair is [string, string] => typeof pair[1] === 'string',
    ),
  );
}

function pickDefined(
  record: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter(
      (pair): pair is [string, string] => pair[1] !== undefined,
    ),
  );
}
