import { generateFleet } from './fleet';
import { ObjectStore } from './store';
import type { KubeObject } from './types';

const countByKind = (objects: KubeObject[]) =>
  objects.reduce<Record<string, number>>(
    (counts, o) => ({ ...counts, [o.kind]: (counts[o.kind] ?? 0) + 1 }),
    {},
  );

type Container = { image: string; securityContext?: Record<string, unknown> };
const containersOf = (pod: KubeObject) =>
  (pod.spec as { containers: Container[] }).containers;

describe('generateFleet', () => {
  const options = {
    namespaces: 10,
    podsPerNamespace: 50,
    uniqueImages: 30,
    seed: 7,
  };
  const fleet = generateFleet(options);
  const counts = countByKind(fleet);

  it('produces the requested numbers of namespaces and pods', () => {
    expect(counts.Namespace).toBe(10);
    expect(counts.Pod).toBe(500);
    expect(counts.Deployment).toBe(50);
    expect(counts.ReplicaSet).toBeGreaterThanOrEqual(50);
    expect(counts.Secret).toBe(2);
    expect(counts.Node).toBeGreaterThan(0);
    expect(counts.ServiceAccount).toBeGreaterThanOrEqual(10);
    for (const namespace of fleet.filter(o => o.kind === 'Namespace')) {
      const pods = fleet.filter(
        o =>
          o.kind === 'Pod' && o.metadata.namespace === namespace.metadata.name,
      );
      expect(pods).toHaveLength(50);
    }
  });

  it('draws container images from a pool of exactly uniqueImages', () => {
    const images = new Set(
      fleet
        .filter(o => o.kind === 'Pod')
        .flatMap(pod => containersOf(pod).map(c => c.image)),
    );
    expect(images.size).toBe(30);
  });

  it('links Pods to ReplicaSets to Deployments by ownerReferences', () => {
    const byUid = new Map(fleet.map(o => [o.metadata.uid, o]));
    for (const pod of fleet.filter(o => o.kind === 'Pod')) {
      const replicaSet = byUid.get(pod.metadata.ownerReferences?.[0].uid);
      expect(replicaSet?.kind).toBe('ReplicaSet');
      expect(replicaSet?.metadata.namespace).toBe(pod.metadata.namespace);
      const deployment = byUid.get(
        replicaSet?.metadata.ownerReferences?.[0].uid,
      );
      expect(deployment?.kind).toBe('Deployment');
      expect(pod.metadata.labels?.['backstage.io/kubernetes-id']).toBe(
        deployment?.metadata.labels?.['app.kubernetes.io/name'],
      );
    }
    expect(new Set(fleet.map(o => o.metadata.uid)).size).toBe(fleet.length);
  });

  it('spreads workloads over the configured number of services', () => {
    const services = (objects: KubeObject[]) =>
      new Set(
        objects
          .filter(o => o.kind === 'Deployment')
          .map(o => o.metadata.labels?.['backstage.io/kubernetes-id']),
      );
    expect(services(fleet).size).toBe(30);
    expect(services(generateFleet({ ...options, services: 4 })).size).toBe(4);
  });

  it('mixes hardened and risky security contexts', () => {
    const pods = fleet.filter(o => o.kind === 'Pod');
    const hardened = pods.filter(
      p => containersOf(p)[0].securityContext?.readOnlyRootFilesystem === true,
    );
    const privileged = pods.filter(
      p => containersOf(p)[0].securityContext?.privileged === true,
    );
    expect(hardened.length).toBeGreaterThan(0);
    expect(privileged.length).toBeGreaterThan(0);
  });

  it('creates legacy service account token secrets', () => {
    const secrets = fleet.filter(o => o.kind === 'Secret');
    expect(
      secrets.every(s => s.type === 'kubernetes.io/service-account-token'),
    ).toBe(true);
    expect(
      secrets[0].metadata.annotations?.['kubernetes.io/service-account.name'],
    ).toBeTruthy();
  });

  it('fronts every Deployment with a Service and measures running pods', () => {
    expect(counts.Service).toBe(counts.Deployment);
    const running = fleet.filter(
      o =>
        o.kind === 'Pod' && (o.status as { phase: string }).phase === 'Running',
    );
    const metrics = fleet.filter(o => o.kind === 'PodMetrics');
    expect(metrics.map(m => m.metadata.name)).toEqual(
      running.map(pod => pod.metadata.name),
    );
    expect(metrics[0].metadata.labels).toEqual(running[0].metadata.labels);
  });

  it('is deterministic for a seed', () => {
    expect(generateFleet(options)).toEqual(fleet);
    expect(generateFleet({ ...options, seed: 8 })).not.toEqual(fleet);
  });

  it('is accepted by the store as is', () => {
    const store = new ObjectStore();
    store.replaceAll(
      generateFleet({ namespaces: 2, podsPerNamespace: 3, uniqueImages: 2 }),
    );
    expect(store.list('', 'pods')).toHaveLength(6);
  });
});
