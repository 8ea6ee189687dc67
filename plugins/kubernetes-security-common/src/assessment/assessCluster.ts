import { assessAdmission } from '../admission/assessAdmission';
import { ALL_CHECKS } from '../checks/checkCatalogue';
import { objectReference, runChecks } from '../checks/runChecks';
import type { Check, WorkloadCheckContext } from '../checks/types';
import { ClusterObjects } from '../clusterObjects';
import type {
  ClusterReport,
  NamespaceSummary,
  WorkloadSummary,
} from '../report';
import { scoreFindings } from '../scoring';
import { serviceAccountUsage } from '../tokens/serviceAccountUsage';
import {
  summarizeWorkload,
  WORKLOAD_API_VERSIONS,
  type Workload,
} from '../workloads';
import type { ClusterSnapshot, EntitySelection } from './clusterSnapshot';
import {
  imagesByWorkload,
  imagesOfWorkloads,
  type ImageVerdicts,
} from './imageVerdicts';

export interface AssessmentOptions {
  /** The checks to run, in every scope; all of them by default. */
  checks?: readonly Check[];
  /** Signature verification results; absent when images were not verified. */
  images?: ImageVerdicts;
}

export interface EntityClusterReport {
  entityRef: string;
  report: ClusterReport;
}

const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/** Computes a value once per key. */
function once<K, V>(compute: (key: K) => V): (key: K) => V {
  const computed = new Map<K, V>();
  return key => {
    if (!computed.has(key)) computed.set(key, compute(key));
    return computed.get(key)!;
  };
}

/**
 * The whole assessment of one cluster: every check of every scope through
 * one runner, and one report per selection, in the order given. Pure: the
 * scan reads the cluster and verifies images first. Each workload and
 * namespace is assessed once however many entities select it.
 */
export function assessCluster(
  snapshot: ClusterSnapshot,
  selections: EntitySelection[],
  options: AssessmentOptions = {},
): EntityClusterReport[] {
  const checks = options.checks ?? ALL_CHECKS;
  const objects = new ClusterObjects(snapshot.context);
  const admission =
    snapshot.admission &&
    assessAdmission(snapshot.admission, {
      namespaces: snapshot.context.namespaces,
      clusterVersion: snapshot.context.clusterVersion,
    });
  const imagesOf = options.images && imagesByWorkload(options.images.results);

  const namespaceSummary = once((name: string): NamespaceSummary => {
    const namespace = objects.namespace(name);
    return {
      name,
      podSecurityLabels: Object.fromEntries(
        Object.entries(namespace?.metadata?.labels ?? {}).filter(([key]) =>
          key.startsWith(PSA_LABEL_PREFIX),
        ),
      ),
      findings: [
        // Without the Namespace object (e.g. no permission) its checks cannot run.
        ...(namespace
          ? runChecks(checks, {
              scope: 'namespace',
              context: {
                namespace,
                clusterVersion: snapshot.context.clusterVersion,
              },
              reference: objectReference(namespace, {
                apiVersion: 'v1',
                kind: 'Namespace',
              }),
            })
          : []),
        ...(admission
          ? runChecks(checks, {
              scope: 'admission',
              context: admission.namespaceCheckContext(name),
              reference: { apiVersion: 'v1', kind: 'Namespace', name },
            })
          : []),
      ],
    };
  });

  /** The context the workload's checks run with (volumes, bindings, tokens, images). */
  const checkContext = once((workload: Workload): WorkloadCheckContext => {
    const context = objects.workloadContext(workload);
    if (imagesOf) context.images = imagesOf(workload);
    return context;
  });

  const workloadSummary = once((workload: Workload): WorkloadSummary => {
    const base = summarizeWorkload(workload);
    const reference = objectReference(workload.object, {
      apiVersion: WORKLOAD_API_VERSIONS[workload.kind],
      kind: workload.kind,
    });
    const findings = [
      ...runChecks(checks, {
        scope: 'workload',
        context: checkContext(workload),
        reference,
      }),
      ...(admission
        ? runChecks(checks, {
            scope: 'admission',
            context: admission.workloadCheckContext(workload),
            reference,
          })
        : []),
    ];
    const namespaceFindings = namespaceSummary(base.namespace).findings;
    return {
      ...base,
      findings,
      score: scoreFindings([...findings, ...namespaceFindings]),
    };
  });

  const reportOf = (selection: EntitySelection): ClusterReport => {
    const base = {
      cluster: snapshot.cluster,
      scannedAt: snapshot.scannedAt,
      attemptedAt: snapshot.scannedAt,
      stale: false,
      labelSelector: selection.target.labelSelector,
    };
    if ('error' in selection) {
      return {
        ...base,
        workloads: [],
        namespaces: [],
        errors: [...snapshot.errors, selection.error],
      };
    }
    const { workloads, entityRef } = selection;
    const summaries = workloads.map(workloadSummary);
    const namespaces =
      selection.namespaces ??
      [...new Set(summaries.map(summary => summary.namespace))].sort();
    return {
      ...base,
      ...(selection.target.namespace
        ? { namespace: selection.target.namespace }
        : {}),
      workloads: summaries,
      namespaces: namespaces.map(namespaceSummary),
      errors: [
        ...snapshot.errors,
        ...(options.images?.entityErrors.get(entityRef) ?? []),
      ],
      ...(options.images
        ? { images: imagesOfWorkloads(options.images.results, workloads) }
        : {}),
      serviceAccounts: serviceAccountUsage(
        workloads,
        snapshot.workloads,
        objects,
        new Date(snapshot.scannedAt),
      ),
      storage: workloads.flatMap(
        workload => checkContext(workload).volumes ?? [],
      ),
      ...(admission
        ? { admission: admission.report(namespaces, workloads) }
        : {}),
    };
  };

  return selections.map(selection => ({
    entityRef: selection.entityRef,
    report: reportOf(selection),
  }));
}
