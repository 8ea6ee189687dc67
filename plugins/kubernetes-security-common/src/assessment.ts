import {
  objectReference,
  runNamespaceChecks,
  runWorkloadChecks,
  workloadUnderCheck,
} from './checks/runChecks';
import type { Check, ClusterVersion, Finding } from './checks/types';
import type { KubeObject } from './kubernetes';
import type {
  ClusterReport,
  EntityScore,
  NamespaceSummary,
  WorkloadSummary,
} from './report';
import { combineScores, scoreFindings } from './scoring';
import {
  summarizeWorkload,
  Workload,
  WORKLOAD_API_VERSIONS,
} from './workloads';

const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';

export interface ClusterContext {
  namespaces: KubeObject[];
  serviceAccounts: KubeObject[];
  /** Legacy service-account token Secrets, metadata only. */
  serviceAccountTokens?: KubeObject[];
  clusterVersion?: ClusterVersion;
}

/**
 * Runs the checks over one cluster's workloads, each workload once however
 * many entities select it, with the namespace and ServiceAccount as context.
 */
export class ClusterAssessor {
  private readonly namespaces = new Map<string, KubeObject>();
  private readonly serviceAccounts = new Map<string, KubeObject>();
  private readonly tokensByNamespace = new Map<string, KubeObject[]>();
  private readonly namespaceSummaries = new Map<string, NamespaceSummary>();
  private readonly workloadSummaries = new Map<Workload, WorkloadSummary>();

  constructor(
    private readonly context: ClusterContext,
    private readonly checks?: Check[],
  ) {
    for (const namespace of context.namespaces) {
      this.namespaces.set(namespace.metadata?.name ?? '', namespace);
    }
    for (const token of context.serviceAccountTokens ?? []) {
      const namespace = token.metadata?.namespace ?? 'default';
      const tokens = this.tokensByNamespace.get(namespace) ?? [];
      tokens.push(token);
      this.tokensByNamespace.set(namespace, tokens);
    }
    for (const account of context.serviceAccounts) {
      this.serviceAccounts.set(
        `${account.metadata?.namespace ?? 'default'}/${account.metadata?.name}`,
        account,
      );
    }
  }

  namespaceSummary(name: string): NamespaceSummary {
    let summary = this.namespaceSummaries.get(name);
    if (!summary) {
      const namespace = this.namespaces.get(name);
      const labels = namespace?.metadata?.labels ?? {};
      summary = {
        name,
        podSecurityLabels: Object.fromEntries(
          Object.entries(labels).filter(([key]) =>
            key.startsWith(PSA_LABEL_PREFIX),
          ),
        ),
        // Without the Namespace object (e.g. no permission) its checks cannot run.
        findings: namespace
          ? runNamespaceChecks(
              namespace,
              this.context.clusterVersion,
              this.checks,
            )
          : [],
      };
      this.namespaceSummaries.set(name, summary);
    }
    return summary;
  }

  assess(workload: Workload): WorkloadSummary {
    let summary = this.workloadSummaries.get(workload);
    if (!summary) {
      const base = summarizeWorkload(workload);
      const findings: Finding[] = runWorkloadChecks(
        {
          workload: workloadUnderCheck(workload),
          reference: objectReference(workload.object, {
            apiVersion: WORKLOAD_API_VERSIONS[workload.kind],
            kind: workload.kind,
          }),
          namespace: this.namespaces.get(base.namespace),
          serviceAccount: this.serviceAccounts.get(
            `${base.namespace}/${base.serviceAccountName}`,
          ),
          legacyTokens: this.tokensByNamespace.get(base.namespace) ?? [],
          clusterVersion: this.context.clusterVersion,
        },
        this.checks,
      );
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
  const weakest = combineScores(candidates);
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
