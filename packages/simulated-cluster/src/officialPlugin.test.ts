import { DEFAULT_OBJECTS } from '@backstage/plugin-kubernetes-backend';
import { type SimulatedCluster, startSimulatedCluster } from './cluster';
import { generateFleet } from './fleet';

// The requests the official Kubernetes plugin's entity view makes, with the
// label selector it derives from `backstage.io/kubernetes-id`.
const SERVICE = 'payments';
const LABEL_SELECTOR = `backstage.io/kubernetes-id=${SERVICE}`;

function resourcePath(group: string, apiVersion: string, plural: string) {
  return group ? `/apis/${group}/${apiVersion}/${plural}` : `/api/v1/${plural}`;
}

describe.each(['v1.26.3', 'v1.30.1'])(
  'what the official Kubernetes plugin lists, at %s',
  version => {
    let cluster: SimulatedCluster;

    beforeAll(async () => {
      cluster = await startSimulatedCluster({
        version,
        tokens: [
          {
            token: 'reader',
            username: 'system:serviceaccount:backstage:kubernetes',
            rules: [
              { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] },
            ],
          },
        ],
        objects: generateFleet({
          namespaces: 2,
          podsPerNamespace: 6,
          uniqueImages: 3,
          services: 2,
        }),
      });
    });

    afterAll(() => cluster.stop());

    async function list(path: string) {
      const response = await fetch(
        `${cluster.url}${path}?labelSelector=${encodeURIComponent(
          LABEL_SELECTOR,
        )}`,
        { headers: { Authorization: 'Bearer reader' } },
      );
      return {
        status: response.status,
        body: (await response.json()) as {
          kind: string;
          items: { metadata: { name: string; namespace: string } }[];
        },
      };
    }

    it.each(DEFAULT_OBJECTS.map(o => [o.objectType, o] as const))(
      'answers 200 with a list of %s',
      async (_, { group, apiVersion, plural }) => {
        const { status, body } = await list(
          resourcePath(group, apiVersion, plural),
        );
        expect(status).toBe(200);
        expect(body.kind).toMatch(/List$/);
      },
    );

    it('finds the Service and the pod metrics of a service', async () => {
      const services = await list('/api/v1/services');
      expect(services.body.items.length).toBeGreaterThan(0);

      const pods = await list('/api/v1/pods');
      const namespace = pods.body.items[0].metadata.namespace;
      const metrics = await list(
        `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`,
      );
      expect(metrics.status).toBe(200);
      expect(metrics.body.kind).toBe('PodMetricsList');
      const podNames = new Set(
        pods.body.items
          .filter(pod => pod.metadata.namespace === namespace)
          .map(pod => pod.metadata.name),
      );
      expect(metrics.body.items.length).toBeGreaterThan(0);
      for (const item of metrics.body.items) {
        expect(podNames.has(item.metadata.name)).toBe(true);
      }
    });
  },
);
