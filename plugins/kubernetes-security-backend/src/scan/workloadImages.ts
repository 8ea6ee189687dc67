import type {
  ImageVerification,
  KubeObject,
  ScanError,
  Workload,
  WorkloadRef,
} from '@internal/plugin-kubernetes-security-common';
import type {
  ImageVerificationRequest,
  ImageVerificationService,
  PolicySet,
  PullSecret,
} from '../signatures';
import { policyForEntity } from '../signatures';

/** One entity's workloads in this cluster, as the scan selected them. */
export interface EntitySelection {
  entityRef: string;
  annotations?: Record<string, string>;
  workloads: Workload[];
}

export interface WorkloadImages {
  /** The verification results of each workload's images. */
  ofWorkload(workload: Workload): ImageVerification[];
  /** The entity's image table: results used by its workloads, `usedBy` narrowed to them. */
  ofEntity(entityRef: string): ImageVerification[];
  /** Problems of an entity's signature setup, e.g. an unknown required policy. */
  errorsOf(entityRef: string): ScanError[];
}

function refOf(workload: Workload): WorkloadRef {
  return {
    kind: workload.kind,
    namespace: workload.object.metadata?.namespace ?? 'default',
    name: workload.object.metadata?.name ?? '',
  };
}

const sameRef = (a: WorkloadRef, b: WorkloadRef) =>
  a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

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
  selections: EntitySelection[],
  nodes: KubeObject[] = [],
  pullSecretsOf?: (workload: Workload) => PullSecret[],
): Promise<WorkloadImages> {
  const nodesByName = new Map(
    nodes.map(node => [node.metadata?.name ?? '', node]),
  );
  const errors = new Map<string, ScanError[]>();
  const requiredPolicy = new Map<Workload, string | undefined>();
  for (const selection of [...selections].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  )) {
    const { policy, error } = policyForEntity(policies, selection.annotations);
    if (error)
      errors.set(selection.entityRef, [
        { type: 'INVALID_ANNOTATION', message: `${error}.` },
      ]);
    for (const workload of selection.workloads) {
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
      request.usedBy!.push({ ...refOf(workload), container });
      const pullSecrets = pullSecretsOf?.(workload) ?? [];
      if (pullSecrets.length > 0)
        request.pullSecrets = [...(request.pullSecrets ?? []), ...pullSecrets];
      requests.set(key, request);
    }
  }
  const results = await service.verifyAll([...requests.values()]);

  return {
    ofWorkload(workload) {
      const ref = refOf(workload);
      return results.filter(result =>
        result.usedBy.some(use => sameRef(use, ref)),
      );
    },
    ofEntity(entityRef) {
      const selection = selections.find(
        candidate => candidate.entityRef === entityRef,
      );
      const refs = (selection?.workloads ?? []).map(refOf);
      return results.flatMap(result => {
        const usedBy = result.usedBy.filter(use =>
          refs.some(ref => sameRef(use, ref)),
        );
        return usedBy.length > 0 ? [{ ...result, usedBy }] : [];
      });
    },
    errorsOf(entityRef) {
      return errors.get(entityRef) ?? [];
    },
  };
}
