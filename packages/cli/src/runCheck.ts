import {
  assessCluster,
  buildWorkloads,
  clusterContextFromObjects,
  clusterInventoryFromObjects,
  weakestScore,
  SEVERITIES,
  wholeClusterSelection,
} from '@internal/plugin-kubernetes-security-common';
import type {
  Check,
  ClusterSnapshot,
  Finding,
  KubeObject,
  ScoreExplanation,
  Severity,
} from '@internal/plugin-kubernetes-security-common';
import type { ManifestObject, Position } from './collectObjects';
import type { InputError } from './readInputs';

/** A finding and where it is written: `line`/`column` of its field path, `objectLine` of its object. */
export interface LocatedFinding extends Finding, Position {
  file: string;
  objectLine: number;
}

export interface CheckReport {
  /** In input order of their objects; per object in check order. */
  findings: LocatedFinding[];
  bySeverity: Record<Severity, number>;
  /** The checks that ran. */
  checks: Check[];
  files: number;
  objects: number;
  workloads: number;
  /** The weakest workload's score; absent when no workload was checked. */
  score?: ScoreExplanation;
  errors: InputError[];
}

/**
 * Runs the checks on the objects read from the inputs exactly as the backend
 * runs them on a cluster (`assessCluster`: same workload grouping, context
 * and scoring): a Deployment with its ReplicaSets and Pods is one workload,
 * reported once, and Namespace and ServiceAccount objects are the context of
 * the workloads in them.
 */
export function runCheck(
  manifests: ManifestObject[],
  checks: Check[],
): Omit<CheckReport, 'files' | 'errors'> {
  const objects = manifests.map(({ object }) => object);
  // With the same Namespace given twice, the first one counts, as `kubectl create` would keep it.
  const namespaces = new Map<string, KubeObject>();
  for (const object of objects) {
    const name = object.metadata?.name ?? '';
    if (object.kind === 'Namespace' && !namespaces.has(name))
      namespaces.set(name, object);
  }
  const snapshot: ClusterSnapshot = {
    cluster: 'manifests',
    scannedAt: new Date().toISOString(),
    workloads: buildWorkloads(clusterInventoryFromObjects(objects)),
    context: clusterContextFromObjects(objects),
    errors: [],
  };
  const [{ report }] = assessCluster(
    snapshot,
    [wholeClusterSelection(snapshot, 'manifests')],
    { checks },
  );

  const manifestOf = new Map(
    manifests.map(manifest => [manifest.object, manifest]),
  );
  const findingsOf = new Map<KubeObject, LocatedFinding[]>();
  const locate = (object: KubeObject, findings: Finding[]) => {
    const manifest = manifestOf.get(object)!;
    const objectLine = manifest.locate('').line;
    findingsOf.set(
      object,
      findings.map(finding => ({
        ...finding,
        file: manifest.file,
        ...manifest.locate(finding.path),
        objectLine,
      })),
    );
  };
  for (const { name, findings } of report.namespaces) {
    const namespace = namespaces.get(name);
    if (namespace) locate(namespace, findings);
  }
  // The report lists the workloads in the order of the snapshot's.
  report.workloads.forEach(({ findings }, index) =>
    locate(snapshot.workloads[index].object, findings),
  );

  const inputOrder = new Map(objects.map((object, index) => [object, index]));
  const findings = [...findingsOf.keys()]
    .sort((a, b) => inputOrder.get(a)! - inputOrder.get(b)!)
    .flatMap(object => findingsOf.get(object)!);
  const bySeverity = Object.fromEntries(
    SEVERITIES.map(severity => [
      severity,
      findings.filter(f => f.severity === severity).length,
    ]),
  ) as Record<Severity, number>;
  const score = weakestScore(report.workloads.map(workload => workload.score));
  return {
    findings,
    bySeverity,
    checks,
    objects: manifests.length,
    workloads: report.workloads.length,
    ...(score ? { score } : {}),
  };
}
