import {
  buildWorkloads,
  ClusterAssessor,
  clusterContextFromObjects,
  weakestScore,
  emptyClusterInventory,
  SEVERITIES,
} from '@internal/plugin-kubernetes-security-common';
import type {
  Check,
  ClusterInventory,
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

const INVENTORY_KEYS: Record<string, keyof ClusterInventory> = {
  Pod: 'pods',
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
  Job: 'jobs',
  CronJob: 'cronJobs',
};

/**
 * Runs the checks on the objects read from the inputs exactly as the backend
 * runs them on a cluster (same workload grouping, context and scoring): a
 * Deployment with its ReplicaSets and Pods is one workload, reported once, and
 * Namespace and ServiceAccount objects are the context of the workloads in them.
 */
export function runCheck(
  manifests: ManifestObject[],
  checks: Check[],
): Omit<CheckReport, 'files' | 'errors'> {
  const inventory = emptyClusterInventory();
  const manifestOf = new Map<KubeObject, ManifestObject>();
  const namespaces = new Map<string, KubeObject>();
  for (const manifest of manifests) {
    const { object } = manifest;
    manifestOf.set(object, manifest);
    const inventoryKey = INVENTORY_KEYS[object.kind ?? ''];
    if (inventoryKey) inventory[inventoryKey].push(object);
    // With the same Namespace given twice, the first one counts, as `kubectl create` would keep it.
    const name = object.metadata?.name ?? '';
    if (object.kind === 'Namespace' && !namespaces.has(name))
      namespaces.set(name, object);
  }
  const assessor = new ClusterAssessor(
    clusterContextFromObjects(manifests.map(({ object }) => object)),
    checks,
  );

  const located = (
    findings: Finding[],
    object: KubeObject,
  ): LocatedFinding[] => {
    const manifest = manifestOf.get(object)!;
    const objectLine = manifest.locate('').line;
    return findings.map(finding => ({
      ...finding,
      file: manifest.file,
      ...manifest.locate(finding.path),
      objectLine,
    }));
  };

  const findingsOf = new Map<KubeObject, LocatedFinding[]>();
  for (const [name, namespace] of namespaces) {
    findingsOf.set(
      namespace,
      located(assessor.namespaceSummary(name).findings, namespace),
    );
  }
  const workloads = buildWorkloads(inventory);
  const scores = workloads.map(workload => {
    const { findings, score } = assessor.assess(workload);
    findingsOf.set(workload.object, located(findings, workload.object));
    return score;
  });

  const inputOrder = new Map(
    manifests.map(({ object }, index) => [object, index]),
  );
  const findings = [...findingsOf.keys()]
    .sort((a, b) => inputOrder.get(a)! - inputOrder.get(b)!)
    .flatMap(object => findingsOf.get(object)!);
  const bySeverity = Object.fromEntries(
    SEVERITIES.map(severity => [
      severity,
      findings.filter(f => f.severity === severity).length,
    ]),
  ) as Record<Severity, number>;
  const score = weakestScore(scores);
  return {
    findings,
    bySeverity,
    checks,
    objects: manifests.length,
    workloads: workloads.length,
    ...(score ? { score } : {}),
  };
}
