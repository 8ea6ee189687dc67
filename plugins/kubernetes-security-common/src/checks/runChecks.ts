import type { KubeObject } from '../kubernetes';
import type { Workload } from '../workloads';
import { ALL_CHECKS } from './registry';
import type {
  Check,
  ClusterVersion,
  Finding,
  FindingDraft,
  NamespaceCheck,
  ObjectReference,
  WorkloadCheck,
  WorkloadCheckContext,
  WorkloadUnderCheck,
} from './types';

const POD_SPEC_PATHS: Record<string, string> = {
  Pod: 'spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** The object and template of a workload, as checks receive them. */
export function workloadUnderCheck(
  workload: Pick<Workload, 'kind' | 'object' | 'template'>,
): WorkloadUnderCheck {
  return {
    kind: workload.kind,
    object: workload.object,
    template: workload.template,
    podSpecPath: POD_SPEC_PATHS[workload.kind] ?? 'spec.template.spec',
  };
}

export function objectReference(
  object: KubeObject,
  fallback: { apiVersion: string; kind: string },
): ObjectReference {
  return {
    apiVersion: object.apiVersion ?? fallback.apiVersion,
    kind: object.kind ?? fallback.kind,
    ...(object.metadata?.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    name: object.metadata?.name ?? '',
  };
}

function toFindings(
  check: Check,
  object: ObjectReference,
  drafts: FindingDraft[],
): Finding[] {
  return drafts.map(draft => ({
    checkId: check.id,
    severity: check.severity,
    area: check.area,
    object,
    ...draft,
  }));
}

export interface CheckSelection {
  /** Only these check ids. */
  include?: string[];
  /** Not these check ids. */
  exclude?: string[];
}

export function selectChecks(selection: CheckSelection = {}): Check[] {
  return ALL_CHECKS.filter(
    check =>
      (!selection.include || selection.include.includes(check.id)) &&
      !(selection.exclude ?? []).includes(check.id),
  );
}

export interface WorkloadCheckInput extends WorkloadCheckContext {
  /** Used for findings; list items carry no apiVersion/kind of their own. */
  reference: ObjectReference;
}

/**
 * Runs the workload checks on one workload. A check that throws on odd input
 * becomes a finding of its own rather than hiding the others.
 */
export function runWorkloadChecks(
  input: WorkloadCheckInput,
  checks: Check[] = [...ALL_CHECKS],
): Finding[] {
  return checks
    .filter((check): check is WorkloadCheck => check.scope === 'workload')
    .flatMap(check => {
      try {
        return toFindings(check, input.reference, check.run(input));
      } catch (error) {
        return [checkFailure(check, input.reference, error)];
      }
    });
}

export function runNamespaceChecks(
  namespace: KubeObject,
  clusterVersion?: ClusterVersion,
  checks: Check[] = [...ALL_CHECKS],
): Finding[] {
  const reference = objectReference(namespace, {
    apiVersion: 'v1',
    kind: 'Namespace',
  });
  return checks
    .filter((check): check is NamespaceCheck => check.scope === 'namespace')
    .flatMap(check => {
      try {
        return toFindings(
          check,
          reference,
          check.run({ namespace, clusterVersion }),
        );
      } catch (error) {
        return [checkFailure(check, reference, error)];
      }
    });
}

function checkFailure(
  check: Check,
  object: ObjectReference,
  error: unknown,
): Finding {
  return {
    checkId: check.id,
    severity: 'info',
    area: check.area,
    object,
    message: `Check "${check.id}" could not evaluate this object: ${
      error instanceof Error ? error.message : String(error)
    }`,
    path: '',
  };
}
