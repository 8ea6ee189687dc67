import type { AuthService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  KubernetesSecurityCluster,
  KubernetesSecurityClusterSupplier,
} from '@internal/plugin-kubernetes-security-node';
import {
  CatalogClusterLocator,
  readCatalogLocatorOptions,
} from './catalogLocator';
import { ConfigLocatorOptions, readConfigClusters } from './configLocator';
import { GkeClusterLocator } from './gkeLocator';
import { LocalKubectlProxyLocator } from './localKubectlProxyLocator';
import type {
  ClusterConfigProblem,
  ClusterLocator,
  LocatedClusters,
} from './types';
import { HostLookup, validateApiServerUrl } from './urlValidation';

export type { ClusterConfigProblem, LocatedClusters } from './types';

const LOCATOR_TYPES = ['config', 'catalog', 'gke', 'localKubectlProxy'];

export interface ClusterLocatorDeps {
  catalog: CatalogService;
  auth: AuthService;
  lookup: HostLookup;
  readFile?: ConfigLocatorOptions['readFile'];
  /** Builds the gke locator; replaced in tests to reach a local fake. */
  createGkeLocator?: (method: Config, config: Config) => ClusterLocator;
}

/**
 * One locator per `kubernetes.clusterLocatorMethods` entry, as the official
 * plugin builds them. An entry that cannot be used (unknown type, bad
 * options) becomes a problem instead of stopping the plugin.
 */
export function createClusterLocators(
  config: Config,
  deps: ClusterLocatorDeps,
): { locators: ClusterLocator[]; problems: ClusterConfigProblem[] } {
  const locators: ClusterLocator[] = [];
  const problems: ClusterConfigProblem[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const [index, method] of methods.entries()) {
    const label = `Cluster locator method #${index + 1}`;
    try {
      const type = method.getString('type');
      switch (type) {
        case 'config':
          locators.push({
            description: 'config',
            locate: async () =>
              readConfigClusters(method, { readFile: deps.readFile }),
          });
          break;
        case 'catalog':
          locators.push(
            new CatalogClusterLocator(deps, readCatalogLocatorOptions(method)),
          );
          break;
        case 'gke':
          locators.push(
            (deps.createGkeLocator ?? GkeClusterLocator.fromConfig)(
              method,
              config,
            ),
          );
          break;
        case 'localKubectlProxy':
          locators.push(new LocalKubectlProxyLocator());
          break;
        default:
          problems.push({
            locator: type,
            message: `${label} "${type}" is not supported; use ${LOCATOR_TYPES.join(
              ', ',
            )}`,
          });
      }
    } catch (error) {
      problems.push({ message: `${label}: ${(error as Error).message}` });
    }
  }
  return { locators, problems };
}

/** A supplier from the extension point, with the same URL checks as config. */
export function supplierLocator(
  supplier: KubernetesSecurityClusterSupplier,
  index: number,
): ClusterLocator {
  const description = `cluster supplier #${index + 1}`;
  return {
    description,
    async locate() {
      const located: LocatedClusters = { clusters: [], problems: [] };
      for (const cluster of await supplier.getClusters()) {
        try {
          const url = validateApiServerUrl(cluster.url);
          located.clusters.push({
            source: description,
            ...cluster,
            url: url.toString().replace(/\/$/, ''),
          });
        } catch (error) {
          located.problems.push({
            cluster: cluster.name,
            locator: description,
            message: `Invalid url: ${(error as Error).message}`,
          });
        }
      }
      return located;
    },
  };
}

/** What one locator answered, or why it could not. */
export interface LocatorOutcome {
  description: string;
  located?: LocatedClusters;
  error?: unknown;
}

export interface CombinedClusters extends LocatedClusters {
  /** Whether every locator answered. */
  complete: boolean;
}

/**
 * Merges the locators' answers in config order. A name seen twice keeps the
 * first cluster (reports and scan tasks are keyed by name); a failed locator
 * becomes a problem. Whether an incomplete list may be used is the caller's
 * `clusterLocatorContinueOnError` decision.
 */
export function combineLocatedClusters(
  outcomes: LocatorOutcome[],
): CombinedClusters {
  const clusters: KubernetesSecurityCluster[] = [];
  const problems: ClusterConfigProblem[] = [];
  let complete = true;
  for (const outcome of outcomes) {
    if (!outcome.located) {
      complete = false;
      problems.push({
        locator: outcome.description,
        message: `Locating clusters with ${outcome.description} failed: ${
          outcome.error instanceof Error
            ? outcome.error.message
            : String(outcome.error)
        }`,
      });
      continue;
    }
    problems.push(...outcome.located.problems);
    for (const cluster of outcome.located.clusters) {
      const first = clusters.find(c => c.name === cluster.name);
      if (first) {
        problems.push({
          cluster: cluster.name,
          locator: outcome.description,
          ...(cluster.entityRef ? { entityRef: cluster.entityRef } : {}),
          message: `Duplicate cluster name (also located by ${
            first.source ?? 'another locator'
          }); only the first is scanned`,
        });
        continue;
      }
      clusters.push(cluster);
    }
  }
  return { clusters, problems, complete };
}
