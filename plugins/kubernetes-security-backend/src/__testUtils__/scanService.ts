import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import type { SimulatedCluster } from '@internal/simulated-cluster';
import { createServiceLocator } from '../clusters/serviceLocator';
import { ScanService, ScanServiceOptions } from '../scan/ScanService';
import type { ReportStore } from '../store/ReportStore';
import { demoComponents } from './demo';

/**
 * A scan service over the demo catalog's Components, located in every
 * cluster (`multiTenant`), storing into `store`; tests override the rest.
 */
export function demoScanService(
  store: ReportStore,
  overrides: Partial<ScanServiceOptions> = {},
): ScanService {
  return new ScanService({
    logger: mockServices.logger.mock(),
    auth: mockServices.auth(),
    catalog: catalogServiceMock({ entities: demoComponents() }),
    store,
    serviceLocator: createServiceLocator(
      new ConfigReader({
        kubernetes: { serviceLocatorMethod: { type: 'multiTenant' } },
      }),
    ),
    entityKinds: ['Component'],
    client: { pageSize: 50, requestTimeoutMs: 10_000 },
    ...overrides,
  });
}

/** A simulated cluster as the plugin sees it, reached with a token it grants. */
export function simulatedClusterDefinition(
  cluster: SimulatedCluster,
  token = 'reader',
): KubernetesSecurityCluster {
  return {
    name: cluster.name,
    url: cluster.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: token,
  };
}
