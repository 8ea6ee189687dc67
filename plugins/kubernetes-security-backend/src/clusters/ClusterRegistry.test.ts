import { mockServices } from '@backstage/backend-test-utils';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import { ClusterAuth } from './clusterAuth';
import { ClusterRegistry } from './ClusterRegistry';
import type { ClusterLocator, LocatedClusters } from './types';

const cluster = (
  name: string,
  authProvider = 'serviceAccount',
): KubernetesSecurityCluster => ({
  name,
  url: `https://${name}.example.com`,
  authProvider,
  serviceAccountToken: 'token',
});

/** A locator whose answer the test changes between refreshes. */
function changingLocator(description: string) {
  let next: LocatedClusters | Error = { clusters: [], problems: [] };
  const locator: ClusterLocator = {
    description,
    locate: async () => {
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return {
    locator,
    answer: (answer: LocatedClusters | Error) => {
      next = answer;
    },
  };
}

const strategy = {
  getCredential: async () => ({ type: 'bearer token' as const, token: 't' }),
  validateCluster: () => [],
  presentAuthMetadata: () => ({}),
};

function registry(continueOnError: boolean) {
  const config = changingLocator('config');
  const catalog = changingLocator('catalog');
  const logger = mockServices.logger.mock();
  const clusters = new ClusterRegistry({
    locators: [config.locator, catalog.locator],
    configProblems: [{ locator: 'magic', message: 'unsupported' }],
    auth: new ClusterAuth({ serviceAccount: strategy }, false),
    continueOnError,
    logger,
  });
  return { clusters, config, catalog, logger };
}

describe('ClusterRegistry', () => {
  it('follows clusters that appear and disappear', async () => {
    const { clusters, config, catalog, logger } = registry(false);
    config.answer({ clusters: [cluster('prod')], problems: [] });
    catalog.answer({ clusters: [cluster('edge')], problems: [] });
    await clusters.refresh();
    expect(clusters.list().map(c => c.name)).toEqual(['prod', 'edge']);
    expect(logger.info).toHaveBeenCalledWith(
      'Kubernetes clusters located: prod, edge',
    );

    catalog.answer({ clusters: [], problems: [] });
    await clusters.refresh();
    expect(clusters.list().map(c => c.name)).toEqual(['prod']);
    expect(clusters.get('edge')).toBeUndefined();
    expect(logger.info).toHaveBeenCalledWith(
      'Kubernetes clusters no longer located, not scanned any more: edge',
    );
  });

  it('gives every cluster a credential source from its strategy', async () => {
    const { clusters, config } = registry(false);
    config.answer({ clusters: [cluster('prod')], problems: [] });
    await clusters.refresh();
    await expect(clusters.get('prod')!.getCredential!()).resolves.toEqual({
      type: 'bearer token',
      token: 'token',
    });
  });

  it('keeps clusters with auth problems out, reported per cluster', async () => {
    const { clusters, config } = registry(false);
    config.answer({
      clusters: [
        cluster('prod'),
        { ...cluster('user-auth', 'google'), source: 'config' },
      ],
      problems: [],
    });
    await clusters.refresh();
    expect(clusters.list().map(c => c.name)).toEqual(['prod']);
    expect(clusters.problems()).toEqual([
      { locator: 'magic', message: 'unsupported' },
      {
        cluster: 'user-auth',
        locator: 'config',
        message: expect.stringContaining("signed-in user's token"),
      },
    ]);
  });

  it('keeps the last complete list when a locator fails (continueOnError false)', async () => {
    const { clusters, config, catalog } = registry(false);
    config.answer({ clusters: [cluster('prod')], problems: [] });
    catalog.answer({ clusters: [cluster('edge')], problems: [] });
    await clusters.refresh();
    expect(clusters.isComplete()).toBe(true);
    config.answer({
      clusters: [cluster('prod'), cluster('new')],
      problems: [],
    });
    catalog.answer(new Error('catalog unavailable'));
    await clusters.refresh();
    expect(clusters.list().map(c => c.name)).toEqual(['prod', 'edge']);
    // Still the last complete list: its absences still mean something.
    expect(clusters.isComplete()).toBe(true);
    expect(clusters.problems()).toEqual([
      { locator: 'magic', message: 'unsupported' },
      {
        locator: 'catalog',
        message: 'Locating clusters with catalog failed: catalog unavailable',
      },
      {
        message:
          'Kept the last complete cluster list (2 clusters): a locator failed and kubernetes.clusterLocatorContinueOnError is false',
      },
    ]);
  });

  it('uses the clusters of the locators that answered (continueOnError true)', async () => {
    const { clusters, config, catalog } = registry(true);
    config.answer({ clusters: [cluster('prod')], problems: [] });
    catalog.answer(new Error('catalog unavailable'));
    await clusters.refresh();
    expect(clusters.list().map(c => c.name)).toEqual(['prod']);
    expect(clusters.isComplete()).toBe(false);
    expect(clusters.problems()).toContainEqual({
      locator: 'catalog',
      message: 'Locating clusters with catalog failed: catalog unavailable',
    });
  });

  it('is incomplete before start-up while deferred locators have not answered', async () => {
    const config = changingLocator('config');
    const catalog = changingLocator('catalog');
    const clusters = new ClusterRegistry({
      locators: [
        config.locator,
        { ...catalog.locator, deferUntilStartup: true },
      ],
      configProblems: [],
      auth: new ClusterAuth({ serviceAccount: strategy }, false),
      continueOnError: false,
      logger: mockServices.logger.mock(),
    });
    config.answer({ clusters: [cluster('prod')], problems: [] });
    await clusters.refresh({ beforeStartup: true });
    expect(clusters.isComplete()).toBe(false);
    await clusters.refresh();
    expect(clusters.isComplete()).toBe(true);
  });

  it('logs each problem once, when it appears', async () => {
    const { clusters, catalog, logger } = registry(true);
    catalog.answer(new Error('down'));
    await clusters.refresh();
    await clusters.refresh();
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledWith(
      'Kubernetes cluster configuration: Locating clusters with catalog failed: down',
    );
    catalog.answer({ clusters: [], problems: [] });
    await clusters.refresh();
    catalog.answer(new Error('down'));
    await clusters.refresh();
    expect(logger.error).toHaveBeenCalledTimes(3);
  });

  it('shares one refresh between concurrent callers', async () => {
    const { clusters, config } = registry(false);
    const locate = jest.spyOn(config.locator, 'locate');
    await Promise.all([clusters.refresh(), clusters.refresh()]);
    expect(locate).toHaveBeenCalledTimes(1);
  });
});
