import { objectReference, runWorkloadChecks } from './checks/runChecks';
import type { Check, Finding, WorkloadCheckContext } from './checks/types';
import { ClusterContext, ClusterObjects } from './clusterObjects';
import type { ImageVerification } from './reportSections';
import type {
  ClusterReport,
  EntityScore,
  NamespaceSummary,
  WorkloadSummary,
} from './report';
import { scoreFindings, weakestScore } from './scoring';
import {
  summarizeWorkload,
  Workload,
  WORKLOAD_API_VERSIONS,
} from './workloads';

export type { ClusterContext } from './clusterObjects';

const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/**
 * Findings a scan adds from outside the check catalog's pod-spec view (e.g.
 * admission dry runs or image signatures), per workload and per namespace.
 */
export interface ExtraFindings {
  workload?(workload: Workload): Finding[];
  namespace?(name: string): Finding[];
  /** Signature verification results of a workload's images, for the signature checks. */
  images?(workload: Workload): ImageVerification[];
}

/**
 * Runs the checks over one cluster's workloads, each workload once however
 * many entities select it, with the namespace and ServiceAccount as context.
 */
export class ClusterAssessor {
  readonly objects: ClusterObjects;
  private readonly namespaceSummaries = new Map<string, NamespaceSummary>();
  private readonly workloadSummaries = new Map<Workload, WorkloadSummary>();
  private readonly contexts = new Map<Workload, WorkloadCheckContext>();

  constructor(
    context: ClusterContext,
    private readonly checks?: Check[],
    private readonly extra: ExtraFindings = {},
  ) {
    this.objects = new ClusterObjects(context);
  }

  namespaceSummary(name: string): NamespaceSummary {
    let summary = this.namespaceSummaries.get(name);
    if (!summary) {
      const labels = this.objects.namespace(name)?.metadata?.labels ?? {};
      summary = {
        name,
        podSecurityLabels: Object.fromEntries(
          Object.entries(labels).filter(([key]) =>
            key.startsWith(PSA_LABEL_PREFIX),
          ),
        ),
        // Without the Namespace object (e.g. no permission) its checks cannot run.
        findings: [
          ...this.objects.namespaceFindings(name, this.checks),
          ...(this.extra.namespace?.(name) ?? []),
        ],
      };
      this.namespaceSummaries.set(name, summary);
    }
    return summary;
  }

  /** The context the workload's checks ran with (volumes, bindings, tokens). */
  contextOf(workload: Workload): WorkloadCheckContext {
    let context = this.contexts.get(workload);
    if (!context) {
      context = this.objects.workloadContext(workload);
      const images = this.extra.images?.(workload);
      if (images) context.images = images;
      this.contexts.set(workload, context);
    }
    return context;
  }

  assess(workload: Workload): WorkloadSummary {
    let summary = this.workloadSummaries.get(workload);
    if (!summary) {
      const base = summarizeWorkload(workload);
      const findings: Finding[] = [
        ...runWorkloadChecks(
          {
            ...this.contextOf(workload),
            reference: objectReference(workload.object, {
              apiVersion: WORKLOAD_API_VERSIONS[workload.kind],
              kind: workload.kind,
            }),
          },
          this.checks,
        ),
        ...(this.extra.workload?.(workload) ?? []),
      ];
      const namespaceFindings = this.namespaceSummary(base.namespace).findings;
      summary = {
        ...base,
        findings,
        score: scoreFindings([...findings, ...namespaceFindings]),
      };
      this.workloadSummaries.set(workload, summary);
    }
    return summary;
  }
}

/** The entity's score across clusters: its weakest workload anywhere. */
export function entityScore(
  clusters: Pick<ClusterReport, 'cluster' | 'workloads'>[],
): EntityScore | undefined {
  const candidates = clusters.flatMap(report =>
    report.workloads.map(workload => ({
      ...workload.score,
      cluster: report.cluster,
      workload: {
        kind: workload.kind,
        namespace: workload.namespace,
        name: workload.name,
      },
    })),
  );
  const weakest = weakestScore(candidates);
  if (!weakest) return undefined;
  const { cluster, workload, ...explanation } = weakest;
  return {
    score: explanation.score,
    grade: explanation.grade,
    cluster,
    workload,
    explanation,
  };
}
