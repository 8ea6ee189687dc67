import type { Config } from '@backstage/config';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import { validateApiServerUrl } from './urlValidation';

/** A configuration mistake, reported at start-up and on the clusters endpoint. */
export interface ClusterConfigProblem {
  cluster?: string;
  message: string;
}

export interface LocatedClusters {
  clusters: KubernetesSecurityCluster[];
  problems: ClusterConfigProblem[];
}

// Strategies that authenticate as the browser user cannot serve scheduled
// scans, which run with no user present.
const USER_TOKEN_PROVIDERS = new Set(['google', 'oidc', 'aks']);
const SUPPORTED_PROVIDERS = new Set(['serviceAccount']);

function readCluster(
  clusterConfig: Config,
  problems: ClusterConfigProblem[],
): KubernetesSecurityCluster | undefined {
  const name = clusterConfig.getString('name');
  const authProvider =
    clusterConfig.getOptionalString('authProvider') ?? 'serviceAccount';
  const fail = (message: string) => {
    problems.push({ cluster: name, message });
    return undefined;
  };
  let url: URL;
  try {
    url = validateApiServerUrl(clusterConfig.getString('url'));
  } catch (error) {
    return fail(`Invalid url: ${(error as Error).message}`);
  }
  if (USER_TOKEN_PROVIDERS.has(authProvider)) {
    return fail(
      `authProvider "${authProvider}" uses the signed-in user's token, which scheduled scans do not have; use serviceAccount`,
    );
  }
  if (!SUPPORTED_PROVIDERS.has(authProvider)) {
    return fail(
      `authProvider "${authProvider}" is not supported yet; use serviceAccount`,
    );
  }
  const serviceAccountToken = clusterConfig.getOptionalString(
    'serviceAccountToken',
  );
  if (!serviceAccountToken) {
    return fail('authProvider serviceAccount needs serviceAccountToken');
  }
  const skipTLSVerify =
    clusterConfig.getOptionalBoolean('skipTLSVerify') ?? false;
  const caData = clusterConfig.getOptionalString('caData');
  const caFile = clusterConfig.getOptionalString('caFile');
  return {
    name,
    title: clusterConfig.getOptionalString('title'),
    url: url.toString().replace(/\/$/, ''),
    authProvider,
    serviceAccountToken,
    skipTLSVerify,
    ...(caData ? { caData } : {}),
    ...(caFile ? { caFile } : {}),
  };
}

/**
 * Reads clusters from `kubernetes.clusterLocatorMethods`, exactly where the
 * official Kubernetes plugin reads them. A bad entry is reported and skipped:
 * it never stops the other clusters.
 */
export function locateClustersFromConfig(config: Config): LocatedClusters {
  const problems: ClusterConfigProblem[] = [];
  const clusters: KubernetesSecurityCluster[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type !== 'config') {
      problems.push({
        message: `Cluster locator method "${type}" is not supported yet`,
      });
      continue;
    }
    for (const clusterConfig of method.getOptionalConfigArray('clusters') ??
      []) {
      let cluster: KubernetesSecurityCluster | undefined;
      try {
        cluster = readCluster(clusterConfig, problems);
      } catch (error) {
        problems.push({ message: (error as Error).message });
      }
      if (!cluster) continue;
      if (clusters.some(c => c.name === cluster!.name)) {
        problems.push({
          cluster: cluster.name,
          message: 'Duplicate cluster name; only the first is scanned',
        });
        continue;
      }
      clusters.push(cluster);
    }
  }
  return { clusters, problems };
}
