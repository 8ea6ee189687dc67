import {
  buildWorkloads,
  combineScores,
  objectReference,
  runNamespaceChecks,
  runWorkloadChecks,
  scoreFindings,
  SEVERITIES,
  workloadUnderCheck,
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

/** Manifests often leave the namespace out; `kubectl apply` then uses `default`. */
const namespaceOf = (object: KubeObject) => object.metadata?.namespace ?? 'default';

/**
 * Runs the checks the backend runs on the objects read from the inputs.
 * Controllers and the objects they own (a Deployment's ReplicaSets and Pods)
 * form one workload, reported once. Namespace and ServiceAccount objects are
 * the context of the workloads in them, as the cluster would provide it.
 */
export function runCheck(
  manifests: ManifestObject[],
  checks: Check[],
): Omit<CheckReport, 'files' | 'errors'> {
  const inventory: ClusterInventory = {
    pods: [],
    deployments: [],
    replicaSets: [],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
    cronJobs: [],
  };
  const inputOrder = new Map<KubeObject, number>();
  const manifestOf = new Map<KubeObject, ManifestObject>();
  const namespaces = new Map<string, KubeObject>();
  const serviceAccounts = new Map<string, KubeObject>();
  manifests.forEach((manifest, index) => {
    const { object } = manifest;
    inputOrder.set(object, index);
    manifestOf.set(object, manifest);
    const inventoryKey = INVENTORY_KEYS[object.kind ?? ''];
    if (inventoryKey) inventory[inventoryKey].push(object);
    const name = object.metadata?.name ?? '';
    // The first object of a name wins, as `kubectl apply` of the inputs in order would leave the first one created.
    if (object.kind === 'Namespace' && !namespaces.has(name)) namespaces.set(name, object);
    const serviceAccountKey = `${namespaceOf(object)}/${name}`;
    if (object.kind === 'ServiceAccount' && !serviceAccounts.has(serviceAccountKey)) {
      serviceAccounts.set(serviceAccountKey, object);
    }
  });

  const located = (findings: Finding[], object: KubeObject): LocatedFinding[] => {
    const manifest = manifestOf.get(object)!;
    const objectLine = manifest.locate('').line;
    return findings.map(finding => ({
      ...finding,
      file: manifest.file,
      ...manifest.locate(finding.path),
      objectLine,
    }));
  };

  const namespaceFindings = new Map<string, LocatedFinding[]>();
  for (const [name, namespace] of namespaces) {
    namespaceFindings.set(name, located(runNamespaceChecks(namespace, undefined, checks), namespace));
  }

  const workloads = buildWorkloads(inventory);
  const workloadFindings = new Map<KubeObject, LocatedFinding[]>();
  const scores = workloads.map(workload => {
    const namespaceName = namespaceOf(workload.object);
    const serviceAccountName = workload.template.spec?.serviceAccountName || 'default';
    const findings = located(
      runWorkloadChecks(
        {
          workload: workloadUnderCheck(workload),
          reference: objectReference(workload.object, { apiVersion: '', kind: workload.kind }),
          namespace: namespaces.get(namespaceName),
          serviceAccount: serviceAccounts.get(`${namespaceName}/${serviceAccountName}`),
        },
        checks,
      ),
      workload.object,
    );
    workloadFindings.set(workload.object, findings);
    return scoreFindings([...findings, ...(namespaceFindings.get(namespaceName) ?? [])]);
  });

  const findings = [...namespaces.values(), ...workloadFindings.keys()]
    .sort((a, b) => inputOrder.get(a)! - inputOrder.get(b)!)
    .flatMap(object =>
      object.kind === 'Namespace'
        ? namespaceFindings.get(object.metadata?.name ?? '')!
        : workloadFindings.get(object)!,
    );
  const bySeverity = Object.fromEntries(
    SEVERITIES.map(severity => [severity, findings.filter(f => f.severity === severity).length]),
  ) as Record<Severity, number>;
  const score = combineScores(scores);
  return {
    findings,
    bySeverity,
    checks,
    objects: manifests.length,
    workloads: workloads.length,
    ...(score ? { score } : {}),
  };
}
