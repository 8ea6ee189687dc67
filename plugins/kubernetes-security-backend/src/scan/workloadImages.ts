import type { AuditorService } from '@backstage/backend-plugin-api';
import {
  workloadRef,
  type ImageVerdicts,
  type ImageVerification,
  type KubeObject,
  type ScanError,
  type Workload,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import type { CollectedInventory } from '../collector/collectInventory';
import type {
  ImageVerificationRequest,
  ImageVerificationService,
  PolicySet,
  PullSecret,
} from '@internal/plugin-kubernetes-security-signatures-node';
import {
  policyForEntity,
  verifyReleaseImages,
} from '@internal/plugin-kubernetes-security-signatures-node';
import { readPullSecrets } from './pullSecrets';

/** How a scan verifies image signatures. */
export interface ScanSignatures {
  service: ImageVerificationService;
  policies: PolicySet;
  /** Opt-in: read workloads' imagePullSecrets (their values) for registry credentials. */
  usePullSecrets?: boolean;
}

/** One entity's workloads in this cluster, with the annotations that choose its signature policy. */
export interface EntityWorkloads {
  entityRef: string;
  annotations?: Record<string, string>;
  workloads: Workload[];
}

/**
 * What each container actually runs: the image and digest reported by its
 * pods (several during a rollout), or the spec's image when no pod runs.
 */
function runningImages(workload: Workload, nodes: Map<string, KubeObject>) {
  const containers = [
    ...(workload.template.spec?.initContainers ?? []),
    ...(workload.template.spec?.containers ?? []),
  ];
  const seen = new Map<
    string,
    Omit<ImageVerificationRequest, 'usedBy'> & { container: string }
  >();
  for (const container of containers) {
    if (!container.image) continue;
    const statuses = workload.pods.flatMap(pod => {
      const status = (pod.status ?? {}) as {
        containerStatuses?: { name: string; imageID?: string }[];
        initContainerStatuses?: { name: string; imageID?: string }[];
      };
      const match = [
        ...(status.containerStatuses ?? []),
        ...(status.initContainerStatuses ?? []),
      ].find(candidate => candidate.name === container.name);
      const labels =
        nodes.get(pod.spec?.nodeName ?? '')?.metadata?.labels ?? {};
      const platform =
        labels['kubernetes.io/os'] && labels['kubernetes.io/arch']
          ? {
              os: labels['kubernetes.io/os'],
              architecture: labels['kubernetes.io/arch'],
            }
          : undefined;
      return match?.imageID ? [{ imageId: match.imageID, platform }] : [];
    });
    const runs =
      statuses.length > 0
        ? statuses
        : [{ imageId: undefined, platform: undefined }];
    for (const run of runs) {
      const key = `${container.name}|${container.image}|${run.imageId ?? ''}`;
      if (!seen.has(key)) {
        seen.set(key, {
          container: container.name,
          image: container.image,
          ...(run.imageId ? { imageId: run.imageId } : {}),
          ...(run.platform ? { platform: run.platform } : {}),
        });
      }
    }
  }
  return [...seen.values()];
}

/**
 * Verifies the images of every selected workload in one call, so each digest
 * is checked once per scan however many entities run it. A workload selected
 * by several entities is checked under the policy the first of them requires
 * (entities sorted by ref).
 */
export async function verifyWorkloadImages(
  service: ImageVerificationService,
  policies: PolicySet,
  entities: EntityWorkloads[],
  nodes: KubeObject[] = [],
  pullSecretsOf?: (workload: Workload) => PullSecret[],
): Promise<ImageVerdicts> {
  const nodesByName = new Map(
    nodes.map(node => [node.metadata?.name ?? '', node]),
  );
  const errors = new Map<string, ScanError[]>();
  const requiredPolicy = new Map<Workload, string | undefined>();
  for (const entity of [...entities].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  )) {
    const { policy, error } = policyForEntity(policies, entity.annotations);
    if (error)
      errors.set(entity.entityRef, [
        { type: 'INVALID_ANNOTATION', message: `${error}.` },
      ]);
    for (const workload of entity.workloads) {
      if (!requiredPolicy.has(workload))
        requiredPolicy.set(workload, policy?.name);
    }
  }

  const requests = new Map<string, ImageVerificationRequest>();
  for (const [workload, policy] of requiredPolicy) {
    for (const { container, ...run } of runningImages(workload, nodesByName)) {
      const key = `${run.image}|${run.imageId ?? ''}|${policy ?? ''}|${
        run.platform?.os ?? ''
      }/${run.platform?.architecture ?? ''}`;
      const request = requests.get(key) ?? {
        ...run,
        usedBy: [],
        ...(policy ? { requiredPolicy: policy } : {}),
      };
      request.usedBy!.push({ ...workloadRef(workload), container });
      const pullSecrets = pullSecretsOf?.(workload) ?? [];
      if (pullSecrets.length > 0)
        request.pullSecrets = [...(request.pullSecrets ?? []), ...pullSecrets];
      requests.set(key, request);
    }
  }
  return {
    results: await service.verifyAll([...requests.values()]),
    entityErrors: errors,
  };
}

/**
 * The scan's signature verification, before the assessment, which only
 * looks results up: the selected workloads' images under their entities'
 * policies, and kube-system's against `kubernetes-release`. Pull-secret
 * reads that fail join the cluster's errors.
 */
export async function verifyScanImages(input: {
  signatures: ScanSignatures;
  auditor?: AuditorService;
  client: KubernetesApiClient;
  cluster: string;
  entities: EntityWorkloads[];
  collected: CollectedInventory;
}): Promise<{ images: ImageVerdicts; releaseImages: ImageVerification[] }> {
  const { signatures, auditor, client, cluster, entities, collected } = input;
  const pullSecrets = signatures.usePullSecrets
    ? await readPullSecrets(
        client,
        entities.flatMap(entity => entity.workloads),
        auditor && { auditor, cluster },
      )
    : undefined;
  const images = await verifyWorkloadImages(
    signatures.service,
    signatures.policies,
    entities,
    collected.context.nodes,
    pullSecrets?.of,
  );
  collected.errors.push(...(pullSecrets?.errors ?? []));
  const releaseImages = await verifyReleaseImages(
    signatures.service,
    collected.inventory.pods.filter(
      pod => pod.metadata?.namespace === 'kube-system',
    ),
  );
  return { images, releaseImages };
}
