import type { ImageVerification } from '@internal/plugin-kubernetes-security-common';
import type {
  ImageVerificationRequest,
  ImageVerificationService,
} from './ImageVerificationService';
import { InvalidReferenceError, parseImageReference } from './imageReference';
import { KUBERNETES_RELEASE_POLICY } from './policy';

/** Control-plane and add-on images the Kubernetes project releases and signs (KEP-3031). */
export const RELEASE_COMPONENTS = new Set([
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'cloud-controller-manager',
  'etcd',
  'coredns',
  'pause',
  'metrics-server',
  'kube-state-metrics',
  'node-problem-detector',
  'cluster-proportional-autoscaler',
  'dns/k8s-dns-node-cache',
]);

/** The parts of a Pod this helper reads. */
export interface PodLike {
  metadata?: {
    name?: string;
    namespace?: string;
    ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
  };
  spec?: {
    containers?: { name?: string; image?: string }[];
    initContainers?: { name?: string; image?: string }[];
  };
  status?: {
    containerStatuses?: { name?: string; imageID?: string }[];
    initContainerStatuses?: { name?: string; imageID?: string }[];
  };
}

/**
 * The release images kube-system runs, each to be checked against the
 * built-in `kubernetes-release` policy whatever registry serves it (a mirror
 * of a release image is still meant to carry krel-trust's signature).
 */
export function releaseImageRequests(
  pods: PodLike[],
): ImageVerificationRequest[] {
  const byImage = new Map<string, ImageVerificationRequest>();
  for (const pod of pods) {
    if (pod?.metadata?.namespace !== 'kube-system') continue;
    const statuses = [
      ...(pod.status?.containerStatuses ?? []),
      ...(pod.status?.initContainerStatuses ?? []),
    ];
    const workload = owningWorkload(pod);
    for (const container of [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []),
    ]) {
      if (!container?.image || !isReleaseImage(container.image)) continue;
      const imageId = statuses.find(s => s?.name === container.name)?.imageID;
      const key = `${container.image}|${imageId ?? ''}`;
      const request = byImage.get(key) ?? {
        image: container.image,
        ...(imageId ? { imageId } : {}),
        requiredPolicy: KUBERNETES_RELEASE_POLICY,
        usedBy: [],
      };
      const usedBy = request.usedBy!;
      if (
        !usedBy.some(
          u =>
            u.kind === workload.kind &&
            u.name === workload.name &&
            u.container === container.name,
        )
      )
        usedBy.push({ ...workload, container: container.name ?? '' });
      byImage.set(key, request);
    }
  }
  return [...byImage.values()];
}

export async function verifyReleaseImages(
  service: ImageVerificationService,
  pods: PodLike[],
): Promise<ImageVerification[]> {
  return service.verifyAll(releaseImageRequests(pods));
}

function isReleaseImage(image: string): boolean {
  try {
    const { repository } = parseImageReference(image);
    const parts = repository.split('/');
    const last = parts[parts.length - 1];
    return (
      RELEASE_COMPONENTS.has(last) ||
      RELEASE_COMPONENTS.has(parts.slice(-2).join('/'))
    );
  } catch (error) {
    if (error instanceof InvalidReferenceError) return false;
    throw error;
  }
}

/** Static pods stand alone; kube-proxy is a DaemonSet; CoreDNS a Deployment's ReplicaSet. */
function owningWorkload(pod: PodLike): {
  kind: string;
  namespace: string;
  name: string;
} {
  const namespace = pod.metadata?.namespace ?? 'kube-system';
  const owner =
    pod.metadata?.ownerReferences?.find(o => o?.controller) ??
    pod.metadata?.ownerReferences?.[0];
  if (owner?.kind === 'ReplicaSet' && owner.name)
    return {
      kind: 'Deployment',
      namespace,
      name: owner.name.replace(/-[a-z0-9]{5,10}$/, ''),
    };
  if (owner?.kind && owner.kind !== 'Node' && owner.name)
    return { kind: owner.kind, namespace, name: owner.name };
  return { kind: 'Pod', namespace, name: pod.metadata?.name ?? '' };
}
