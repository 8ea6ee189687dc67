import type { ScanError } from '../scanError';
import type { ImageVerification, WorkloadRef } from '../reportSections';
import { workloadRef, type Workload } from '../workloads';

/**
 * A scan's signature verification of the images its workloads run, as
 * plain data: verified before the assessment, which only looks results up.
 */
export interface ImageVerdicts {
  /** Every result; `usedBy` names the containers running each image. */
  results: ImageVerification[];
  /** Problems of an entity's signature setup, by entity ref, e.g. an unknown required policy. */
  entityErrors: Map<string, ScanError[]>;
}

const refKey = (ref: WorkloadRef) => `${ref.kind}/${ref.namespace}/${ref.name}`;

/** The results each workload's images got, indexed once for every lookup. */
export function imagesByWorkload(
  results: ImageVerification[],
): (workload: Workload) => ImageVerification[] {
  const byWorkload = new Map<string, ImageVerification[]>();
  for (const result of results) {
    for (const key of new Set(result.usedBy.map(refKey))) {
      const found = byWorkload.get(key);
      if (found) found.push(result);
      else byWorkload.set(key, [result]);
    }
  }
  return workload => byWorkload.get(refKey(workloadRef(workload))) ?? [];
}

/** An entity's image table: the results its workloads use, `usedBy` narrowed to them. */
export function imagesOfWorkloads(
  results: ImageVerification[],
  workloads: Workload[],
): ImageVerification[] {
  const keys = new Set(
    workloads.map(workload => refKey(workloadRef(workload))),
  );
  return results.flatMap(result => {
    const usedBy = result.usedBy.filter(use => keys.has(refKey(use)));
    return usedBy.length > 0 ? [{ ...result, usedBy }] : [];
  });
}
