import type { KubeObject } from '../kubernetes';
import type { Workload } from '../workloads';
import { ALL_CHECKS } from './checkCatalogue';
import type { AdmissionCheckContext } from '../admission/checkContext';
import type {
  Check,
  Finding,
  FindingDraft,
  NamespaceCheckContext,
  ObjectReference,
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

/** The checks to run, in every scope: all of them but those `--checks`/`--skip` leave out. */
export function selectChecks(selection: CheckSelection = {}): Check[] {
  return ALL_CHECKS.filter(
    check =>
      (!selection.include || selection.include.includes(check.id)) &&
      !(selection.exclude ?? []).includes(check.id),
  );
}

/** One subject of checks: the context its scope's checks take, and what its findings are about. */
export type CheckSubject = {
  /** Used for findings; list items carry no apiVersion/kind of their own. */
  reference: ObjectReference;
} & (
  | { scope: 'workload'; context: WorkloadCheckContext }
  | { scope: 'namespace'; context: NamespaceCheckContext }
  | { scope: 'admission'; context: AdmissionCheckContext }
);

/**
 * The one runner of every check scope: runs the checks of the subject's
 * scope, in the order given. A check that throws on odd input becomes an
 * `info` finding of its own rather than hiding the others: a bug in a check
 * is shown, but it is not the workload's fault, so it costs no points.
 */
export function runChecks(
  checks: readonly Check[],
  subject: CheckSubject,
): Finding[] {
  return checks.flatMap(check => {
    if (check.scope !== subject.scope) return [];
    try {
      // The scopes match, so the context is the one this check takes.
      const run = check.run as (
        context: CheckSubject['context'],
      ) => FindingDraft[];
      return toFindings(check, subject.reference, run(subject.context));
    } catch (error) {
      return [checkFailure(check, subject.reference, error)];
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
