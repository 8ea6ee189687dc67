import { resolveEntityTarget } from './entityTarget';
import type { KubeObject } from './kubernetes';
import {
  buildWorkloads,
  ClusterInventory,
  emptyClusterInventory,
  selectWorkloads,
  summarizeWorkload,
} from './workloads';

function obj(
  name: string,
  uid: string,
  extra: {
    ns?: string;
    labels?: Record<string, string>;
    owner?: [string, string];
    spec?: object;
    status?: object;
  } = {},
): KubeObject {
  return {
    metadata: {
      name,
      uid,
      namespace: extra.ns ?? 'shop',
      labels: extra.labels,
      ...(extra.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: extra.owner[0],
                name: extra.owner[1],
                uid: `uid-${extra.owner[1]}`,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: extra.spec ?? {},
    status: extra.status ?? {},
  };
}

const template = (labels: Record<string, string>) => ({
  template: {
    metadata: { labels },
    spec: {
      serviceAccountName: 'cart',
      initContainers: [{ name: 'migrate', image: 'cart-migrate:1' }],
      containers: [{ name: 'app', image: 'cart:2' }],
    },
  },
});

function inventory(partial: Partial<ClusterInventory>): ClusterInventory {
  return { ...emptyClusterInventory(), ...partial };
}

const cartLabels = { 'backstage.io/kubernetes-id': 'cart' };

describe('buildWorkloads', () => {
  const inv = inventory({
    deployments: [
      obj('cart', 'uid-cart', {
        spec: { replicas: 2, ...template(cartLabels) },
        status: { readyReplicas: 1 },
      }),
    ],
    replicaSets: [
      obj('cart-7d9', 'uid-cart-7d9', {
        owner: ['Deployment', 'cart'],
        labels: cartLabels,
      }),
      obj('orphan-rs', 'uid-orphan-rs', {
        labels: { app: 'orphan' },
        spec: template({ app: 'orphan' }),
      }),
    ],
    pods: [
      obj('cart-7d9-a', 'p1', {
        owner: ['ReplicaSet', 'cart-7d9'],
        labels: cartLabels,
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'app',
              image: 'cart:2',
              imageID: 'docker-pullable://cart@sha256:abc',
            },
          ],
        },
      }),
      obj('cart-7d9-b', 'p2', {
        owner: ['ReplicaSet', 'cart-7d9'],
        labels: cartLabels,
      }),
      obj('debug', 'p3', {
        labels: cartLabels,
        spec: { containers: [{ name: 'sh', image: 'busybox' }] },
      }),
      obj('nightly-123-x', 'p4', {
        owner: ['Job', 'nightly-123'],
        labels: { job: 'nightly' },
      }),
    ],
    jobs: [
      obj('nightly-123', 'uid-nightly-123', { owner: ['CronJob', 'nightly'] }),
    ],
    cronJobs: [
      obj('nightly', 'uid-nightly', {
        labels: cartLabels,
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: { containers: [{ name: 'job', image: 'cart-job:1' }] },
              },
            },
          },
        },
      }),
    ],
  });

  it('folds replicas and intermediate owners into one workload each', () => {
    const workloads = buildWorkloads(inv);
    expect(
      workloads
        .map(w => `${w.kind}/${w.object.metadata?.name}:${w.pods.length}`)
        .sort(),
    ).toEqual([
      'CronJob/nightly:1',
      'Deployment/cart:2',
      'Pod/debug:1',
      'ReplicaSet/orphan-rs:0',
    ]);
  });

  it('selects by labels of the workload, its template, owners or pods, within the namespace', () => {
    const workloads = buildWorkloads(inv);
    const entity = (annotations: Record<string, string>) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'cart', annotations },
    });
    const names = (annotations: Record<string, string>) =>
      selectWorkloads(workloads, resolveEntityTarget(entity(annotations)))
        .map(w => w.object.metadata?.name)
        .sort();
    expect(names({ 'backstage.io/kubernetes-id': 'cart' })).toEqual([
      'cart',
      'debug',
      'nightly',
    ]);
    expect(
      names({ 'backstage.io/kubernetes-label-selector': 'app=orphan' }),
    ).toEqual(['orphan-rs']);
    expect(
      names({
        'backstage.io/kubernetes-id': 'cart',
        'backstage.io/kubernetes-namespace': 'other',
      }),
    ).toEqual([]);
  });

  it('summarizes containers of every type, pods and replicas', () => {
    const deployment = buildWorkloads(inv).find(w => w.kind === 'Deployment')!;
    expect(summarizeWorkload(deployment)).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      namespace: 'shop',
      name: 'cart',
      uid: 'uid-cart',
      labels: {},
      serviceAccountName: 'cart',
      containers: [
        { name: 'migrate', type: 'init', image: 'cart-migrate:1' },
        { name: 'app', type: 'container', image: 'cart:2' },
      ],
      pods: [
        {
          name: 'cart-7d9-a',
          phase: 'Running',
          nodeName: undefined,
          images: [
            {
              container: 'app',
              image: 'cart:2',
              imageID: 'docker-pullable://cart@sha256:abc',
            },
          ],
        },
        {
          name: 'cart-7d9-b',
          phase: undefined,
          nodeName: undefined,
          images: [],
        },
      ],
      replicas: { desired: 2, ready: 1 },
    });
  });

  it('survives owner reference cycles and unknown owners', () => {
    const a = obj('a', 'uid-a', { owner: ['ReplicaSet', 'b'] });
    const b = obj('b', 'uid-b', { owner: ['ReplicaSet', 'a'] });
    const pod = obj('x', 'px', { owner: ['Rollout', 'unknown'] });
    const workloads = buildWorkloads(
      inventory({ replicaSets: [a, b], pods: [pod] }),
    );
    expect(workloads.map(w => w.object.metadata?.name).sort()).toEqual([
      'a',
      'b',
      'x',
    ]);
  });
});
