import type { AdmissionInventory } from '../admission/inventory';
import { ANNOTATION_KUBERNETES_LABEL_SELECTOR } from '../annotations';
import type { ClusterContext } from '../clusterObjects';
import type { EntityKubernetesTarget } from '../entityTarget';
import { parseLabelSelector } from '../labelSelector';
import type { ScanError } from '../scanError';
import { selectWorkloads, type Workload } from '../workloads';

/** Everything read from one cluster that its assessment needs, as plain data. */
export interface ClusterSnapshot {
  cluster: string;
  /** When it was read: the reports' `scannedAt`, and "now" for token ages. */
  scannedAt: string;
  /**
   * The cluster's workloads (`buildWorkloads` of the listed inventory). The
   * selections refer to these very objects, so each is assessed once.
   */
  workloads: Workload[];
  context: ClusterContext;
  /** Absent when admission controls were not read: no admission checks, no admission section. */
  admission?: AdmissionInventory;
  /** What could not be read, and why: shown on every report. */
  errors: ScanError[];
}

/** One entity's share of a cluster: its workloads, or why none could be selected. */
export type EntitySelection = {
  entityRef: string;
  /** As the report shows it: the selector applied and the namespace, if narrowed. */
  target: EntityKubernetesTarget;
} & (
  | {
      /** From the snapshot's `workloads`; the report lists them in this order. */
      workloads: Workload[];
      /** The namespaces the report covers; by default those its workloads run in. */
      namespaces?: string[];
    }
  | { error: ScanError }
);

/** The workloads of an entity's target, as the official Kubernetes plugin finds them. */
export function selectEntityWorkloads(
  workloads: Workload[],
  entityRef: string,
  target: EntityKubernetesTarget,
): EntitySelection {
  let selector;
  try {
    selector = parseLabelSelector(target.labelSelector);
  } catch (error) {
    return {
      entityRef,
      target,
      error: {
        type: 'INVALID_ANNOTATION',
        message: `${
          (error as Error).message
        }. Fix the ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation of ${entityRef}.`,
      },
    };
  }
  return {
    entityRef,
    target,
    workloads: selectWorkloads(workloads, { ...target, selector }),
  };
}

/**
 * Every workload and namespace of the snapshot as one selection: what the
 * CLI and the check fixtures assess, where every object given is a subject.
 */
export function wholeClusterSelection(
  snapshot: Pick<ClusterSnapshot, 'workloads' | 'context'>,
  entityRef: string,
): EntitySelection {
  const namespaces = new Set([
    ...snapshot.context.namespaces.map(
      namespace => namespace.metadata?.name ?? '',
    ),
    ...snapshot.workloads.map(
      workload => workload.object.metadata?.namespace ?? 'default',
    ),
  ]);
  return {
    entityRef,
    // The empty selector selects everything.
    target: { serviceId: '', labelSelector: '' },
    workloads: snapshot.workloads,
    namespaces: [...namespaces].sort(),
  };
}
