import { createHash } from 'node:crypto';
import { kubernetesTimestamp } from './store';
import type { KubeObject, OwnerReference } from './types';

export interface FleetOptions {
  namespaces: number;
  podsPerNamespace: number;
  /** Size of the image pool containers draw from; every image is used once there are enough deployments. */
  uniqueImages: number;
  /** Distinct services (`backstage.io/kubernetes-id` values) across the fleet; default 3 per namespace. */
  services?: number;
  /** Deployments per namespace, pods spread over them; default min(5, podsPerNamespace). */
  deploymentsPerNamespace?: number;
  /** Legacy `kubernetes.io/service-account-token` Secrets; default one per 4 namespaces, at least 1. */
  legacyTokenSecrets?: number;
  /** Reported by the generated Nodes; default v1.30.1. */
  kubeletVersion?: string;
  /** Same seed, same fleet. Default 1. */
  seed?: number;
}

// prettier-ignore
const SERVICE_WORDS = [
  'payments', 'checkout', 'catalog', 'inventory', 'search', 'shipping',
  'billing', 'identity', 'notifications', 'recommendations', 'reviews',
  'orders', 'cart', 'pricing', 'ledger', 'analytics', 'profile', 'media',
];
// prettier-ignore
const TEAM_WORDS = [
  'atlas', 'borealis', 'comet', 'dynamo', 'ember', 'falcon', 'granite',
  'harbor', 'ion', 'juniper', 'kestrel', 'lumen', 'meridian', 'nova',
];
const COMPONENTS = ['api', 'worker', 'web', 'consumer', 'scheduler', 'gateway'];
const WELL_KNOWN_IMAGES = [
  'docker.io/library/nginx:1.25.3',
  'docker.io/library/redis:7.2.4',
  'docker.io/library/postgres:16.2',
  'docker.io/library/busybox:1.36',
  'docker.io/envoyproxy/envoy:v1.29.2',
  'quay.io/prometheus/node-exporter:v1.7.0',
  'docker.io/library/nginx:latest',
  'registry.k8s.io/pause:3.9',
  'docker.io/bitnami/kafka:3.6.1',
  'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector:0.96.0',
];
// Characters Kubernetes uses for generated name suffixes (no vowels, no confusables).
const NAME_SUFFIX_ALPHABET = [...'bcdfghjklmnpqrstvwxz2456789'];
const FLEET_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
const DAY_MS = 86_400_000;
const PODS_PER_NODE = 40;

/** Seeded randomness (mulberry32) plus the generated-value helpers built on it. */
class FleetRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  nameSuffix(length: number): string {
    return Array.from({ length }, () => this.pick(NAME_SUFFIX_ALPHABET)).join(
      '',
    );
  }

  uid(): string {
    const hex = Array.from({ length: 32 }, () =>
      Math.floor(this.next() * 16).toString(16),
    ).join('');
    return [
      hex.slice(0, 8),
      hex.slice(8, 12),
      `4${hex.slice(13, 16)}`,
      `a${hex.slice(17, 20)}`,
      hex.slice(20),
    ].join('-');
  }
}

function timestampDaysAgo(days: number): string {
  return kubernetesTimestamp(new Date(FLEET_EPOCH - Math.floor(days * DAY_MS)));
}

function wordAt(words: readonly string[], index: number): string {
  const round = Math.floor(index / words.length);
  const word = words[index % words.length];
  return round === 0 ? word : `${word}-${round + 1}`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function imagePool(size: number): string[] {
  return Array.from({ length: Math.max(1, size) }, (_, i) =>
    i < WELL_KNOWN_IMAGES.length
      ? WELL_KNOWN_IMAGES[i]
      : `ghcr.io/acme/${wordAt(SERVICE_WORDS, i - WELL_KNOWN_IMAGES.length)}:${
          1 + (i % 4)
        }.${i % 12}.${i % 7}`,
  );
}

interface SecuritySettings {
  pod?: Record<string, unknown>;
  container?: Record<string, unknown>;
  /** hostNetwork and hostPID. */
  hostNamespaces?: boolean;
  /** Mounts the node's container runtime socket. */
  dockerSocket?: boolean;
}

const HARDENED: SecuritySettings = {
  pod: {
    runAsNonRoot: true,
    runAsUser: 10001,
    fsGroup: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  container: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  },
};
const RISKY: readonly SecuritySettings[] = [
  { container: { privileged: true, allowPrivilegeEscalation: true } },
  {
    pod: { runAsUser: 0 },
    container: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } },
  },
  { hostNamespaces: true, dockerSocket: true },
];

/** Four in ten workloads are hardened, three set nothing, three are risky in different ways. */
function randomSecurity(random: FleetRandom): SecuritySettings {
  const roll = random.next();
  if (roll < 0.4) return HARDENED;
  if (roll < 0.7) return {};
  return random.pick(RISKY);
}

/** Most pods run; a few are stuck Pending (unscheduled) or Failed. */
function randomPodPhase(random: FleetRandom): 'Running' | 'Pending' | 'Failed' {
  const roll = random.next();
  if (roll < 0.92) return 'Running';
  return roll < 0.96 ? 'Pending' : 'Failed';
}

function nodeObject(random: FleetRandom, name: string, kubeletVersion: string) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: random.uid(),
      creationTimestamp: timestampDaysAgo(200),
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'm6i.xlarge',
      },
    },
    spec: { providerID: `aws:///eu-west-1a/i-${sha256Hex(name).slice(0, 17)}` },
    status: {
      nodeInfo: {
        kubeletVersion,
        containerRuntimeVersion: 'containerd://1.7.11',
        osImage: 'Amazon Linux 2',
        kernelVersion: '5.10.210-201.852.amzn2.x86_64',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  };
}

function namespaceObject(random: FleetRandom, name: string, ageDays: number) {
  const enforcement = random.pick(['restricted', 'baseline', '', '']);
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: random.uid(),
      creationTimestamp: timestampDaysAgo(ageDays),
      labels: {
        'kubernetes.io/metadata.name': name,
        ...(enforcement
          ? { 'pod-security.kubernetes.io/enforce': enforcement }
          : {}),
      },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function serviceAccountObject(
  random: FleetRandom,
  namespace: string,
  name: string,
  ageDays: number,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace,
      uid: random.uid(),
      creationTimestamp: timestampDaysAgo(ageDays),
    },
  };
}

interface Container {
  name: string;
  image: string;
}

function podSpec(
  component: string,
  images: Container[],
  serviceAccountName: string,
  security: SecuritySettings,
  random: FleetRandom,
) {
  const [main, ...sidecars] = images;
  const mainContainer = {
    ...main,
    ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
    ...(random.chance(0.7)
      ? {
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { memory: '512Mi' },
          },
        }
      : {}),
    ...(security.container ? { securityContext: security.container } : {}),
    ...(security.dockerSocket
      ? {
          volumeMounts: [
            { name: 'docker-sock', mountPath: '/var/run/docker.sock' },
          ],
        }
      : {}),
  };
  return {
    serviceAccountName,
    ...(security.pod ? { securityContext: security.pod } : {}),
    ...(security.hostNamespaces ? { hostNetwork: true, hostPID: true } : {}),
    containers: [{ ...mainContainer, name: component }, ...sidecars],
    ...(security.dockerSocket
      ? {
          volumes: [
            {
              name: 'docker-sock',
              hostPath: { path: '/var/run/docker.sock', type: 'Socket' },
            },
          ],
        }
      : {}),
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    dnsPolicy: 'ClusterFirst',
  };
}

function controllerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: String(owner.metadata.name),
    uid: String(owner.metadata.uid),
    controller: true,
    blockOwnerDeletion: true,
  };
}

function podObject(
  random: FleetRandom,
  replicaSet: KubeObject,
  labels: Record<string, string>,
  spec: ReturnType<typeof podSpec>,
  nodeNames: readonly string[],
  ageDays: number,
): KubeObject {
  const phase = randomPodPhase(random);
  const scheduled = phase !== 'Pending';
  const running = phase === 'Running';
  const startedAt = timestampDaysAgo(ageDays);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${replicaSet.metadata.name}-${random.nameSuffix(5)}`,
      namespace: replicaSet.metadata.namespace,
      uid: random.uid(),
      creationTimestamp: startedAt,
      labels,
      ownerReferences: [controllerReference(replicaSet)],
    },
    spec: {
      ...spec,
      ...(scheduled ? { nodeName: random.pick(nodeNames) } : {}),
    },
    status: {
      phase,
      ...(scheduled
        ? {
            podIP: `10.1.${Math.floor(random.next() * 250)}.${
              Math.floor(random.next() * 250) + 2
            }`,
            startTime: startedAt,
            containerStatuses: spec.containers.map(container => ({
              name: container.name,
              image: container.image,
              imageID: `${container.image.replace(
                /:[^:/]+$/,
                '',
              )}@sha256:${sha256Hex(container.image)}`,
              ready: running,
              started: running,
              restartCount: running ? 0 : 3,
              state: running
                ? { running: { startedAt } }
                : { terminated: { exitCode: 1, reason: 'Error' } },
            })),
          }
        : {}),
    },
  };
}

/**
 * A uid derived from a name, for objects added after the seeded ones so that
 * they draw nothing from the seeded sequence and leave the rest unchanged.
 */
function uidFromName(name: string): string {
  const hex = sha256Hex(name);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `a${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** The ClusterIP Service in front of a Deployment's pods, labelled like them. */
function serviceObject(
  deployment: KubeObject,
  selector: Record<string, string>,
): KubeObject {
  const { name, namespace, labels, creationTimestamp } = deployment.metadata;
  const hash = sha256Hex(`service/${namespace}/${name}`);
  const clusterIP = `10.96.${parseInt(hash.slice(0, 2), 16)}.${
    (parseInt(hash.slice(2, 4), 16) % 250) + 2
  }`;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      uid: uidFromName(`service/${namespace}/${name}`),
      creationTimestamp,
      labels,
    },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      clusterIP,
      clusterIPs: [clusterIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
}

/**
 * What metrics-server reports for a running pod (`metrics.k8s.io/v1beta1`
 * PodMetrics, labelled like the pod): CPU in nanocores and memory in KiB per
 * container, derived from the pod's name.
 */
function podMetricsObject(pod: KubeObject): KubeObject {
  const { name, namespace, labels } = pod.metadata;
  const containers = (pod.spec as { containers: Container[] }).containers;
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name,
      namespace,
      uid: uidFromName(`podmetrics/${namespace}/${name}`),
      creationTimestamp: kubernetesTimestamp(new Date(FLEET_EPOCH)),
      labels,
    },
    timestamp: kubernetesTimestamp(new Date(FLEET_EPOCH)),
    window: '15s',
    containers: containers.map(container => {
      const hash = sha256Hex(`${namespace}/${name}/${container.name}`);
      return {
        name: container.name,
        usage: {
          cpu: `${parseInt(hash.slice(0, 6), 16) * 10}n`,
          memory: `${16_384 + (parseInt(hash.slice(6, 11), 16) % 500_000)}Ki`,
        },
      };
    }),
  };
}

interface Workload {
  namespace: string;
  service: string;
  component: string;
  replicas: number;
  ageDays: number;
  spec: ReturnType<typeof podSpec>;
}

/** A Deployment, its ReplicaSets (sometimes an old one scaled to zero) and their Pods. */
function workloadObjects(
  random: FleetRandom,
  workload: Workload,
  nodeNames: readonly string[],
): KubeObject[] {
  const { namespace, service, component, replicas, ageDays, spec } = workload;
  const name = `${service}-${component}`;
  const labels = {
    'app.kubernetes.io/name': service,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': service,
    'backstage.io/kubernetes-id': service,
  };
  const selector = {
    'app.kubernetes.io/name': service,
    'app.kubernetes.io/component': component,
  };
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      uid: random.uid(),
      generation: 2,
      creationTimestamp: timestampDaysAgo(ageDays),
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: { metadata: { labels }, spec },
    },
    status: {
      observedGeneration: 2,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    },
  };
  const objects = [deployment];
  const revisions = random.chance(0.3) ? [1, 2] : [2];
  for (const revision of revisions) {
    const templateHash = random.nameSuffix(10);
    const current = revision === 2 ? replicas : 0;
    const podLabels = { ...labels, 'pod-template-hash': templateHash };
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${templateHash}`,
        namespace,
        uid: random.uid(),
        creationTimestamp: timestampDaysAgo(ageDays - revision + 1),
        labels: podLabels,
        annotations: { 'deployment.kubernetes.io/revision': String(revision) },
        ownerReferences: [controllerReference(deployment)],
      },
      spec: {
        replicas: current,
        selector: {
          matchLabels: { ...selector, 'pod-template-hash': templateHash },
        },
        template: { metadata: { labels: podLabels }, spec },
      },
      status: {
        observedGeneration: 1,
        replicas: current,
        fullyLabeledReplicas: current,
        readyReplicas: current,
        availableReplicas: current,
      },
    };
    objects.push(replicaSet);
    for (let p = 0; p < current; p++) {
      const podAge = Math.max(0, ageDays - 2 - random.next() * 10);
      const pod = podObject(
        random,
        replicaSet,
        podLabels,
        spec,
        nodeNames,
        podAge,
      );
      objects.push(pod);
      if ((pod.status as { phase: string }).phase === 'Running') {
        objects.push(podMetricsObject(pod));
      }
    }
  }
  objects.push(serviceObject(deployment, selector));
  return objects;
}

function legacyTokenSecret(
  random: FleetRandom,
  account: KubeObject,
): KubeObject {
  const namespace = String(account.metadata.namespace);
  const accountName = String(account.metadata.name);
  const name = `${accountName}-token-${random.nameSuffix(5)}`;
  // Before 1.24 the ServiceAccount listed its token Secret.
  account.secrets = [
    ...((account.secrets as object[] | undefined) ?? []),
    { name },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: {
      name,
      namespace,
      uid: random.uid(),
      creationTimestamp: timestampDaysAgo(300),
      annotations: {
        'kubernetes.io/service-account.name': accountName,
        'kubernetes.io/service-account.uid': String(account.metadata.uid),
      },
    },
    data: {
      'ca.crt': base64(
        '-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n',
      ),
      namespace: base64(namespace),
      token: base64(
        `eyJhbGciOiJSUzI1NiJ9.${base64(
          `${namespace}:${accountName}`,
        )}.${random.nameSuffix(43)}`,
      ),
    },
  };
}

/**
 * Generates a realistic, deterministic fleet: Nodes, Namespaces,
 * ServiceAccounts, Deployments → ReplicaSets → Pods (with ownerReferences and
 * `app.kubernetes.io/*` + `backstage.io/kubernetes-id` labels), a Service per
 * Deployment, metrics-server's PodMetrics for running pods, containers
 * drawn from an image pool with good and bad security contexts, and a few
 * legacy ServiceAccount token Secrets.
 */
export function generateFleet(options: FleetOptions): KubeObject[] {
  const random = new FleetRandom(options.seed ?? 1);
  const { namespaces, podsPerNamespace } = options;
  const deploymentsPerNamespace =
    podsPerNamespace === 0
      ? 0
      : Math.max(
          1,
          Math.min(options.deploymentsPerNamespace ?? 5, podsPerNamespace),
        );
  const serviceCount = Math.max(1, options.services ?? namespaces * 3);
  const images = imagePool(options.uniqueImages);
  const nodeNames = Array.from(
    {
      length: Math.max(
        1,
        Math.ceil((namespaces * podsPerNamespace) / PODS_PER_NODE),
      ),
    },
    (_, i) => `ip-10-0-${Math.floor(i / 250)}-${(i % 250) + 4}.ec2.internal`,
  );

  const objects: KubeObject[] = nodeNames.map(name =>
    nodeObject(random, name, options.kubeletVersion ?? 'v1.30.1'),
  );
  const serviceAccounts: KubeObject[] = [];
  let deploymentIndex = 0;

  for (let n = 0; n < namespaces; n++) {
    const namespace = `team-${wordAt(TEAM_WORDS, n)}`;
    const namespaceAge = 120 + random.next() * 60;
    objects.push(namespaceObject(random, namespace, namespaceAge));
    serviceAccounts.push(
      serviceAccountObject(random, namespace, 'default', namespaceAge),
    );

    for (let d = 0; d < deploymentsPerNamespace; d++, deploymentIndex++) {
      const service = wordAt(SERVICE_WORDS, deploymentIndex % serviceCount);
      const component = wordAt(COMPONENTS, d);
      const ageDays = namespaceAge - 1 - random.next() * 60;
      const ownAccount = random.chance(0.8);
      if (ownAccount) {
        const account = serviceAccountObject(
          random,
          namespace,
          `${service}-${component}`,
          ageDays,
        );
        if (random.chance(0.3)) account.automountServiceAccountToken = false;
        serviceAccounts.push(account);
      }
      const containers = [
        { name: component, image: images[deploymentIndex % images.length] },
        ...(random.chance(0.3)
          ? [
              {
                name: 'sidecar',
                image: images[(deploymentIndex * 7 + 3) % images.length],
              },
            ]
          : []),
      ];
      const replicas =
        Math.floor(podsPerNamespace / deploymentsPerNamespace) +
        (d < podsPerNamespace % deploymentsPerNamespace ? 1 : 0);
      const spec = podSpec(
        component,
        containers,
        ownAccount ? `${service}-${component}` : 'default',
        randomSecurity(random),
        random,
      );
      objects.push(
        ...workloadObjects(
          random,
          { namespace, service, component, replicas, ageDays, spec },
          nodeNames,
        ),
      );
    }
  }

  const secretCount =
    namespaces === 0
      ? 0
      : options.legacyTokenSecrets ?? Math.max(1, Math.floor(namespaces / 4));
  for (let s = 0; s < secretCount; s++) {
    // Spread over the accounts so that different namespaces get one.
    const account =
      serviceAccounts[
        Math.floor((s * serviceAccounts.length) / secretCount) %
          serviceAccounts.length
      ];
    objects.push(legacyTokenSecret(random, account));
  }
  return [...objects, ...serviceAccounts];
}
