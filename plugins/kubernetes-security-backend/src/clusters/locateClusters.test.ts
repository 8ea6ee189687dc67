import type { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  combineLocatedClusters,
  createClusterLocators,
  supplierLocator,
} from './locateClusters';

const deps = {
  catalog: catalogServiceMock({ entities: [] }),
  auth: mockServices.auth(),
  lookup: async () => [{ address: '93.184.216.34' }],
};
const config = (methods: JsonObject[]) =>
  new ConfigReader({ kubernetes: { clusterLocatorMethods: methods } });
const cluster = (name: string, source: string) => ({
  name,
  url: `https://${name}.example.com`,
  authProvider: 'aws',
  source,
});

describe('createClusterLocators', () => {
  it('builds one locator per method, in config order', async () => {
    const { locators, problems } = createClusterLocators(
      config([
        {
          type: 'config',
          clusters: [
            {
              name: 'prod',
              url: 'https://prod.example.com',
              authProvider: 'aws',
            },
          ],
        },
        { type: 'catalog' },
        { type: 'gke', projectId: 'p', region: 'europe-west1' },
        { type: 'localKubectlProxy' },
      ]),
      deps,
    );
    expect(problems).toEqual([]);
    expect(locators.map(l => l.description)).toEqual([
      'config',
      'catalog',
      'gke (project p, location europe-west1)',
      'localKubectlProxy',
    ]);
    expect((await locators[0].locate()).clusters.map(c => c.name)).toEqual([
      'prod',
    ]);
    expect(await locators[3].locate()).toEqual({
      problems: [],
      clusters: [
        {
          name: 'local',
          url: 'http://127.0.0.1:8001',
          authProvider: 'localKubectlProxy',
          source: 'localKubectlProxy',
        },
      ],
    });
  });

  it('reports unusable methods and keeps the others', () => {
    const { locators, problems } = createClusterLocators(
      config([
        { type: 'magic' },
        { type: 'gke' },
        { type: 'gke', projectId: 'p', endpointType: 'private' },
        {},
        { type: 'localKubectlProxy' },
      ]),
      deps,
    );
    expect(locators.map(l => l.description)).toEqual(['localKubectlProxy']);
    expect(problems).toEqual([
      {
        locator: 'magic',
        message:
          'Cluster locator method #1 "magic" is not supported; use config, catalog, gke, localKubectlProxy',
      },
      {
        message: expect.stringMatching(
          /^Cluster locator method #2: Missing required config value at 'kubernetes.clusterLocatorMethods\[1\].projectId'/,
        ),
      },
      {
        message:
          'Cluster locator method #3: Invalid endpointType "private"; use public or dns',
      },
      {
        message: expect.stringMatching(
          /^Cluster locator method #4: Missing required config value at 'kubernetes.clusterLocatorMethods\[3\].type'/,
        ),
      },
    ]);
  });

  it('is empty without kubernetes config', () => {
    expect(createClusterLocators(new ConfigReader({}), deps)).toEqual({
      locators: [],
      problems: [],
    });
  });
});

describe('combineLocatedClusters', () => {
  it('merges in order, keeping the first of a duplicated name', () => {
    const combined = combineLocatedClusters([
      {
        description: 'config',
        located: { clusters: [cluster('a', 'config')], problems: [] },
      },
      {
        description: 'catalog',
        located: {
          clusters: [
            { ...cluster('a', 'catalog'), entityRef: 'resource:default/a' },
            cluster('b', 'catalog'),
          ],
          problems: [{ cluster: 'x', message: 'bad' }],
        },
      },
    ]);
    expect(combined.complete).toBe(true);
    expect(combined.clusters.map(c => `${c.name}@${c.source}`)).toEqual([
      'a@config',
      'b@catalog',
    ]);
    expect(combined.problems).toEqual([
      { cluster: 'x', message: 'bad' },
      {
        cluster: 'a',
        locator: 'catalog',
        entityRef: 'resource:default/a',
        message:
          'Duplicate cluster name (also located by config); only the first is scanned',
      },
    ]);
  });

  it('reports a failed locator and marks the list incomplete', () => {
    const combined = combineLocatedClusters([
      { description: 'catalog', error: new Error('ECONNREFUSED') },
      {
        description: 'config',
        located: { clusters: [cluster('a', 'config')], problems: [] },
      },
    ]);
    expect(combined).toEqual({
      complete: false,
      clusters: [cluster('a', 'config')],
      problems: [
        {
          locator: 'catalog',
          message: 'Locating clusters with catalog failed: ECONNREFUSED',
        },
      ],
    });
  });
});

describe('supplierLocator', () => {
  it('checks the URLs of supplied clusters', async () => {
    const located = await supplierLocator(
      {
        getClusters: async () => [
          cluster('ok', 'vault'),
          { ...cluster('bad', 'vault'), url: 'http://10.0.0.1' },
        ],
      },
      0,
    ).locate();
    expect(located.clusters).toEqual([cluster('ok', 'vault')]);
    expect(located.problems).toEqual([
      {
        cluster: 'bad',
        locator: 'cluster supplier #1',
        message: expect.stringContaining('http is only accepted on loopback'),
      },
    ]);
  });
});
