import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { type SimulatedCluster, startSimulatedCluster } from './cluster';
import { generateFleet } from './fleet';

describe('@kubernetes/client-node against the simulator', () => {
  let cluster: SimulatedCluster;
  let core: CoreV1Api;

  beforeAll(async () => {
    cluster = await startSimulatedCluster({
      tokens: [
        {
          token: 'client-token',
          username: 'system:serviceaccount:backstage:kubernetes-security',
          rules: [
            { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] },
          ],
        },
      ],
      objects: generateFleet({
        namespaces: 3,
        podsPerNamespace: 7,
        uniqueImages: 4,
      }),
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        { name: 'simulated', server: cluster.url, skipTLSVerify: true },
      ],
      users: [{ name: 'reader', token: 'client-token' }],
      contexts: [{ name: 'simulated', cluster: 'simulated', user: 'reader' }],
      currentContext: 'simulated',
    });
    core = kubeConfig.makeApiClient(CoreV1Api);
  });

  afterAll(() => cluster.stop());

  it('pages through listPodForAllNamespaces', async () => {
    const names: string[] = [];
    let pages = 0;
    let continueToken: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({
        limit: 5,
        _continue: continueToken,
      });
      pages++;
      names.push(
        ...page.items.map(
          pod => `${pod.metadata?.namespace}/${pod.metadata?.name}`,
        ),
      );
      continueToken = page.metadata?._continue;
    } while (continueToken);

    expect(pages).toBe(5);
    expect(names).toHaveLength(21);
    expect(new Set(names).size).toBe(21);
    expect(
      cluster.requestLog.filter(entry => entry.path === '/api/v1/pods'),
    ).toHaveLength(5);
  });

  it('surfaces a NotFound Status as an ApiException', async () => {
    await expect(
      core.readNamespacedPod({ name: 'missing', namespace: 'team-atlas' }),
    ).rejects.toMatchObject({
      code: 404,
      body: expect.stringContaining('"reason":"NotFound"'),
    });
  });
});
