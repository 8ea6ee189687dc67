import type { ResolvedEntityTarget } from './entityTarget';
import type {
  ContainerStatus,
  KubeObject,
  Pod,
  PodSpec,
  PodTemplateSpec,
} from './kubernetes';
import { matchesLabelSelector } from './labelSelector';
import {
  apiVersionOf,
  WORKLOAD_RESOURCES,
  type WorkloadResource,
} from './scannedResources';
import type { WorkloadContainer, WorkloadPod, WorkloadSummary } from './report';
import type { WorkloadKind } from './kubernetes';
import type { WorkloadRef } from './reportSections';

/** Everything of one cluster that workloads are made of, as listed from it. */
export interface ClusterInventory {
  pods: KubeObject[];
  deployments: KubeObject[];
  replicaSets: KubeObject[];
  statefulSets: KubeObject[];
  daemonSets: KubeObject[];
  jobs: KubeObject[];
  cronJobs: KubeObject[];
}

export function emptyClusterInventory(): ClusterInventory {
  return {
    pods: [],
    deployments: [],
    replicaSets: [],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
    cronJobs: [],
  };
}

/**
 * A top-level workload with the objects it owns. Findings are reported once
 * per workload, so replicas and intermediate ReplicaSets/Jobs fold into it.
 */
export interface Workload {
  kind: WorkloadKind;
  object: KubeObject;
  /** The pod template (or, for a bare Pod, the pod itself). */
  template: PodTemplateSpec;
  pods: Pod[];
  /** Labels of the workload, its template, intermediate owners and pods. */
  labelSets: Record<string, string>[];
}

/** Every workload kind but Pod: the owners a pod's controller chain walks. */
const CONTROLLER_RESOURCES = WORKLOAD_RESOURCES.filter(
  row => row.kind !== 'Pod',
);

export const WORKLOAD_API_VERSIONS = Object.fromEntries(
  WORKLOAD_RESOURCES.map(row => [row.kind, apiVersionOf(row)]),
) as Record<WorkloadKind, string>;

const WORKLOAD_RESOURCE_OF_KIND = new Map<string, WorkloadResource>(
  WORKLOAD_RESOURCES.map(row => [row.kind, row]),
);

/** The workloads among manifests (CLI input, test fixtures), slotted as a scan lists them. */
export function clusterInventoryFromObjects(
  objects: KubeObject[],
): ClusterInventory {
  const inventory = emptyClusterInventory();
  for (const object of objects) {
    const row = WORKLOAD_RESOURCE_OF_KIND.get(object.kind ?? '');
    if (row) inventory[row.slot.key].push(object);
  }
  return inventory;
}

export function podTemplateOf(
  kind: WorkloadKind,
  object: KubeObject,
): PodTemplateSpec {
  const spec = (object.spec ?? {}) as Record<string, any>;
  if (kind === 'Pod')
    return { metadata: object.metadata, spec: spec as PodSpec };
  if (kind === 'CronJob') return spec.jobTemplate?.spec?.template ?? {};
  return spec.template ?? {};
}

function controllerOwnerUid(object: KubeObject): string | undefined {
  const owners = object.metadata?.ownerReferences ?? [];
  return (owners.find(o => o.controller) ?? owners[0])?.uid;
}

interface IndexedObject {
  kind: WorkloadKind;
  object: KubeObject;
}

/** Groups a cluster's controllers and pods into top-level workloads. */
export function buildWorkloads(inventory: ClusterInventory): Workload[] {
  const byUid = new Map<string, IndexedObject>();
  const controllers: IndexedObject[] = [];
  for (const { kind, slot } of CONTROLLER_RESOURCES) {
    for (const object of inventory[slot.key]) {
      const indexed = { kind, object };
      controllers.push(indexed);
      if (object.metadata?.uid) byUid.set(object.metadata.uid, indexed);
    }
  }

  // Follows controller owner references to the outermost object this cluster
  // listed (Pod → ReplicaSet → Deployment, Pod → Job → CronJob). Owners of
  // kinds not listed (e.g. an operator's custom resource) end the walk.
  const chainOf = (object: KubeObject): IndexedObject[] => {
    const chain: IndexedObject[] = [];
    const seen = new Set<string>();
    let ownerUid = controllerOwnerUid(object);
    while (ownerUid && !seen.has(ownerUid) && byUid.has(ownerUid)) {
      seen.add(ownerUid);
      const owner = byUid.get(ownerUid)!;
      chain.push(owner);
      ownerUid = controllerOwnerUid(owner.object);
    }
    return chain;
  };

  const workloads = new Map<KubeObject, Workload>();
  const workloadFor = (top: IndexedObject): Workload => {
    let workload = workloads.get(top.object);
    if (!workload) {
      const template = podTemplateOf(top.kind, top.object);
      workload = {
        kind: top.kind,
        object: top.object,
        template,
        pods: [],
        labelSets: [
          top.object.metadata?.labels ?? {},
          template.metadata?.labels ?? {},
        ],
      };
      workloads.set(top.object, workload);
    }
    return workload;
  };

  for (const controller of controllers) {
    const chain = chainOf(controller.object);
    const workload = workloadFor(
      chain.length ? chain[chain.length - 1] : controller,
    );
    if (chain.length)
      workload.labelSets.push(controller.object.metadata?.labels ?? {});
  }
  for (const pod of inventory.pods) {
    const chain = chainOf(pod);
    const workload = workloadFor(
      chain.length ? chain[chain.length - 1] : { kind: 'Pod', object: pod },
    );
    workload.pods.push(pod as Pod);
    workload.labelSets.push(pod.metadata?.labels ?? {});
  }
  return [...workloads.values()];
}

/** The workloads that belong to an entity's target in one cluster. */
export function selectWorkloads(
  workloads: Workload[],
  target: ResolvedEntityTarget,
): Workload[] {
  return workloads.filter(
    workload =>
      (!target.namespace ||
        workload.object.metadata?.namespace === target.namespace) &&
      workload.labelSets.some(labels =>
        matchesLabelSelector(labels, target.selector),
      ),
  );
}

/** How report sections name a workload. */
export function workloadRef(
  workload: Pick<Workload, 'kind' | 'object'>,
): WorkloadRef {
  return {
    kind: workload.kind,
    namespace: workload.object.metadata?.namespace ?? 'default',
    name: workload.object.metadata?.name ?? '',
  };
}

function containersOf(spec: PodSpec | undefined): WorkloadContainer[] {
  return [
    ...(spec?.initContainers ?? []).map(c => ({
      name: c.name,
      type: 'init' as const,
      image: c.image ?? '',
    })),
    ...(spec?.containers ?? []).map(c => ({
      name: c.name,
      type: 'container' as const,
      image: c.image ?? '',
    })),
    ...(spec?.ephemeralContainers ?? []).map(c => ({
      name: c.name,
      type: 'ephemeral' as const,
      image: c.image ?? '',
    })),
  ];
}

function podSummary(pod: Pod): WorkloadPod {
  const statuses: ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase,
    nodeName: pod.spec?.nodeName,
    images: statuses.map(s => ({
      container: s.name,
      image: s.image,
      imageID: s.imageID,
    })),
  };
}

/** The descriptive part of a workload's summary; checks add findings and score. */
export function summarizeWorkload(
  workload: Workload,
): Omit<WorkloadSummary, 'findings' | 'score'> {
  const { object, kind, template } = workload;
  const spec = (object.spec ?? {}) as Record<string, any>;
  const status = (object.status ?? {}) as Record<string, any>;
  let replicas: WorkloadSummary['replicas'];
  if (
    kind === 'Deployment' ||
    kind === 'StatefulSet' ||
    kind === 'ReplicaSet'
  ) {
    replicas = {
      desired: spec.replicas ?? 1,
      ready: status.readyReplicas ?? 0,
    };
  } else if (kind === 'DaemonSet') {
    replicas = {
      desired: status.desiredNumberScheduled,
      ready: status.numberReady ?? 0,
    };
  }
  return {
    kind,
    // Items of a LIST response carry no apiVersion/kind: derive it from the kind.
    apiVersion: object.apiVersion ?? WORKLOAD_API_VERSIONS[kind],
    namespace: object.metadata?.namespace ?? 'default',
    name: object.metadata?.name ?? '',
    ...(object.metadata?.uid ? { uid: object.metadata.uid } : {}),
    labels: object.metadata?.labels ?? {},
    serviceAccountName: template.spec?.serviceAccountName || 'default',
    containers: containersOf(template.spec),
    pods: workload.pods.map(podSummary),
    ...(replicas ? { replicas } : {}),
  };
}
