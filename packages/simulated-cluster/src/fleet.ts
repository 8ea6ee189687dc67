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

const SERVICE_WORDS = [
  'payments', 'checkout', 'catalog', 'inventory', 'search', 'shipping',
  'billing', 'identity', 'notifications', 'recommendations', 'reviews',
  'orders', 'cart', 'pricing', 'ledger', 'analytics', 'profile', 'media',
];
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
const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FLEET_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
const DAY_MS = 86_400_000;

/** mulberry32: a tiny seeded PRNG, good enough for varied but reproducible data. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wordAt(words: readonly string[], index: number): string {
  const round = Math.floor(index / words.length);
  return round === 0 ? words[index % words.length] : `${words[index % words.length]}-${round + 1}`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

type SecurityProfile = 'hardened' | 'unset' | 'privileged' | 'root' | 'hostAccess';

interface SecuritySettings {
  pod?: Record<string, unknown>;
  container?: Record<string, unknown>;
  /** hostNetwork and hostPID. */
  hostNamespaces?: boolean;
  /** Mounts the node's container runtime socket. */
  dockerSocket?: boolean;
}

function securityFor(profile: SecurityProfile): SecuritySettings {
  switch (profile) {
    case 'hardened':
      return {
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
    case 'privileged':
      return { container: { privileged: true, allowPrivilegeEscalation: true } };
    case 'root':
      return {
        pod: { runAsUser: 0 },
        container: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } },
      };
    case 'hostAccess':
      return { hostNamespaces: true, dockerSocket: true };
    default:
      return {};
  }
}

/**
 * Generates a realistic, deterministic fleet: Namespaces, Nodes,
 * ServiceAccounts, Deployments → ReplicaSets → Pods (with ownerReferences and
 * `app.kubernetes.io/*` + `backstage.io/kubernetes-id` labels), containers
 * drawn from an image pool with good and bad security contexts, and a few
 * legacy ServiceAccount token Secrets.
 */
export function generateFleet(options: FleetOptions): KubeObject[] {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const suffix = (length: number) =>
    Array.from({ length }, () => pick([...NAME_SUFFIX_ALPHABET])).join('');
  const uid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };
  const timestamp = (daysAgo: number) =>
    kubernetesTimestamp(new Date(FLEET_EPOCH - Math.floor(daysAgo * DAY_MS)));

  const namespaceCount = options.namespaces;
  const podsPerNamespace = options.podsPerNamespace;
  const deploymentsPerNamespace =
    podsPerNamespace === 0
      ? 0
      : Math.max(1, Math.min(options.deploymentsPerNamespace ?? 5, podsPerNamespace));
  const serviceCount = Math.max(1, options.services ?? namespaceCount * 3);
  const images = Array.from({ length: Math.max(1, options.uniqueImages) }, (_, i) =>
    i < WELL_KNOWN_IMAGES.length
      ? WELL_KNOWN_IMAGES[i]
      : `ghcr.io/acme/${wordAt(SERVICE_WORDS, i - WELL_KNOWN_IMAGES.length)}:${1 + (i % 4)}.${i % 12}.${i % 7}`,
  );
  const nodeNames = Array.from(
    { length: Math.max(1, Math.ceil((namespaceCount * podsPerNamespace) / 40)) },
    (_, i) => `ip-10-0-${Math.floor(i / 250)}-${(i % 250) + 4}.ec2.internal`,
  );

  const objects: KubeObject[] = nodeNames.map(name => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: uid(),
      creationTimestamp: timestamp(200),
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
        kubeletVersion: options.kubeletVersion ?? 'v1.30.1',
        containerRuntimeVersion: 'containerd://1.7.11',
        osImage: 'Amazon Linux 2',
        kernelVersion: '5.10.210-201.852.amzn2.x86_64',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  }));

  const serviceAccountsByNamespace = new Map<string, KubeObject[]>();
  let deploymentIndex = 0;

  for (let n = 0; n < namespaceCount; n++) {
    const namespace = `team-${wordAt(TEAM_WORDS, n)}`;
    const namespaceAge = 120 + random() * 60;
    const enforcement = pick(['restricted', 'baseline', undefined, undefined]);
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        uid: uid(),
        creationTimestamp: timestamp(namespaceAge),
        labels: {
          'kubernetes.io/metadata.name': namespace,
          ...(enforcement ? { 'pod-security.kubernetes.io/enforce': enforcement } : {}),
        },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    const serviceAccount = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, uid: uid(), creationTimestamp: timestamp(namespaceAge) },
    });
    const serviceAccounts = [serviceAccount('default')];
    serviceAccountsByNamespace.set(namespace, serviceAccounts);

    for (let d = 0; d < deploymentsPerNamespace; d++, deploymentIndex++) {
      const replicas =
        Math.floor(podsPerNamespace / deploymentsPerNamespace) +
        (d < podsPerNamespace % deploymentsPerNamespace ? 1 : 0);
      const service = wordAt(SERVICE_WORDS, deploymentIndex % serviceCount);
      const component = wordAt(COMPONENTS, d);
      const name = `${service}-${component}`;
      const usesDefaultAccount = random() < 0.2;
      const accountName = usesDefaultAccount ? 'default' : name;
      if (!usesDefaultAccount) {
        const account = serviceAccount(name);
        if (random() < 0.3) account.automountServiceAccountToken = false;
        serviceAccounts.push(account);
      }

      const profile = pick<SecurityProfile>([
        'hardened', 'hardened', 'hardened', 'hardened', 'unset', 'unset', 'unset',
        'privileged', 'root', 'hostAccess',
      ]);
      const security = securityFor(profile);
      const mainImage = images[deploymentIndex % images.length];
      const sidecarImage =
        random() < 0.3 ? images[(deploymentIndex * 7 + 3) % images.length] : undefined;
      const containers = [
        {
          name: component,
          image: mainImage,
          ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
          ...(random() < 0.7
            ? {
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { memory: '512Mi' },
                },
              }
            : {}),
          ...(security.container ? { securityContext: security.container } : {}),
          ...(security.dockerSocket
            ? { volumeMounts: [{ name: 'docker-sock', mountPath: '/var/run/docker.sock' }] }
            : {}),
        },
        ...(sidecarImage ? [{ name: 'sidecar', image: sidecarImage }] : []),
      ];
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
      const podSpec = {
        serviceAccountName: accountName,
        ...(security.pod ? { securityContext: security.pod } : {}),
        ...(security.hostNamespaces ? { hostNetwork: true, hostPID: true } : {}),
        containers,
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

      const deploymentAge = namespaceAge - 1 - random() * 60;
      const deployment: KubeObject = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name,
          namespace,
          uid: uid(),
          generation: 2,
          creationTimestamp: timestamp(deploymentAge),
          labels,
          annotations: { 'deployment.kubernetes.io/revision': '2' },
        },
        spec: {
          replicas,
          selector: { matchLabels: selector },
          template: { metadata: { labels }, spec: podSpec },
        },
        status: {
          observedGeneration: 2,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
        },
      };
      objects.push(deployment);
      const deploymentOwner: OwnerReference = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name,
        uid: String(deployment.metadata.uid),
        controller: true,
        blockOwnerDeletion: true,
      };

      // The previous rollout's ReplicaSet, scaled to zero, as Deployments keep history.
      const revisions = random() < 0.3 ? [1, 2] : [2];
      for (const revision of revisions) {
        const templateHash = suffix(10);
        const replicaSetName = `${name}-${templateHash}`;
        const replicaSetReplicas = revision === 2 ? replicas : 0;
        const podLabels = { ...labels, 'pod-template-hash': templateHash };
        const replicaSet: KubeObject = {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: replicaSetName,
            namespace,
            uid: uid(),
            creationTimestamp: timestamp(deploymentAge - revision + 1),
            labels: podLabels,
            annotations: { 'deployment.kubernetes.io/revision': String(revision) },
            ownerReferences: [deploymentOwner],
          },
          spec: {
            replicas: replicaSetReplicas,
            selector: { matchLabels: { ...selector, 'pod-template-hash': templateHash } },
            template: { metadata: { labels: podLabels }, spec: podSpec },
          },
          status: {
            observedGeneration: 1,
            replicas: replicaSetReplicas,
            fullyLabeledReplicas: replicaSetReplicas,
            readyReplicas: replicaSetReplicas,
            availableReplicas: replicaSetReplicas,
          },
        };
        objects.push(replicaSet);

        for (let p = 0; p < replicaSetReplicas; p++) {
          const roll = random();
          const phase = roll < 0.92 ? 'Running' : roll < 0.96 ? 'Pending' : 'Failed';
          const scheduled = phase !== 'Pending';
          const startedAt = timestamp(Math.max(0, deploymentAge - 2 - random() * 10));
          objects.push({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: `${replicaSetName}-${suffix(5)}`,
              namespace,
              uid: uid(),
              creationTimestamp: startedAt,
              labels: podLabels,
              ownerReferences: [
                {
                  apiVersion: 'apps/v1',
                  kind: 'ReplicaSet',
                  name: replicaSetName,
                  uid: String(replicaSet.metadata.uid),
                  controller: true,
                  blockOwnerDeletion: true,
                },
              ],
            },
            spec: { ...podSpec, ...(scheduled ? { nodeName: pick(nodeNames) } : {}) },
            status: {
              phase,
              ...(scheduled
                ? {
                    podIP: `10.1.${Math.floor(random() * 250)}.${Math.floor(random() * 250) + 2}`,
                    startTime: startedAt,
                    containerStatuses: containers.map(container => ({
                      name: container.name,
                      image: container.image,
                      imageID: `${container.image.replace(/:[^:/]+$/, '')}@sha256:${sha256Hex(container.image)}`,
                      ready: phase === 'Running',
                      started: phase === 'Running',
                      restartCount: phase === 'Running' ? 0 : 3,
                      state:
                        phase === 'Running'
                          ? { running: { startedAt } }
                          : { terminated: { exitCode: 1, reason: 'Error' } },
                    })),
                  }
                : {}),
            },
          });
        }
      }
    }
  }

  const namespacesWithAccounts = [...serviceAccountsByNamespace.entries()];
  const secretCount =
    namespacesWithAccounts.length === 0
      ? 0
      : (options.legacyTokenSecrets ?? Math.max(1, Math.floor(namespaceCount / 4)));
  for (let s = 0; s < secretCount; s++) {
    const [namespace, accounts] = namespacesWithAccounts[s % namespacesWithAccounts.length];
    const account = accounts[Math.floor(s / namespacesWithAccounts.length) % accounts.length];
    const accountName = String(account.metadata.name);
    const secretName = `${accountName}-token-${suffix(5)}`;
    // Pre-1.24 clusters listed the token Secret on the ServiceAccount.
    account.secrets = [...((account.secrets as object[] | undefined) ?? []), { name: secretName }];
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: secretName,
        namespace,
        uid: uid(),
        creationTimestamp: timestamp(300),
        annotations: {
          'kubernetes.io/service-account.name': accountName,
          'kubernetes.io/service-account.uid': String(account.metadata.uid),
        },
      },
      data: {
        'ca.crt': base64('-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n'),
        namespace: base64(namespace),
        token: base64(`eyJhbGciOiJSUzI1NiJ9.${base64(`${namespace}:${accountName}`)}.${suffix(43)}`),
      },
    });
  }
  for (const accounts of serviceAccountsByNamespace.values()) objects.push(...accounts);
  return objects;
}
