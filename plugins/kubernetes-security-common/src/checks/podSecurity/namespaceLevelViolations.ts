import type { FindingDraft, WorkloadCheckContext } from '../types';
import {
  evaluatedVersion,
  namespacePodSecurity,
  type PodSecurityMode,
} from './namespacePodSecurity';
import {
  evaluatePodSecurity,
  type PodSecurityViolation,
} from './podSecurityStandards';

export interface NamespaceLevelViolations {
  /** E.g. `the restricted level enforced on namespace "shop" at v1.30`. */
  description: string;
  violations: PodSecurityViolation[];
}

/**
 * The controls the workload's pod template violates at the level its
 * namespace sets for `mode`; undefined when the namespace is unknown or
 * the level is privileged.
 */
export function namespaceLevelViolations(
  { workload, namespace, clusterVersion }: WorkloadCheckContext,
  mode: PodSecurityMode,
): NamespaceLevelViolations | undefined {
  if (!namespace) return undefined;
  const { level, version } = namespacePodSecurity(namespace, mode);
  if (level === 'privileged') return undefined;
  const evaluated = evaluatedVersion(version, clusterVersion);
  const pod = {
    spec: workload.template.spec,
    metadata: workload.template.metadata,
    specPath: workload.podSpecPath,
    // `spec.template.spec` → `spec.template.metadata`; a Pod's `spec` → `metadata`.
    metadataPath: workload.podSpecPath.replace(/spec$/, 'metadata'),
  };
  const verb = mode === 'enforce' ? 'enforced' : 'warned about';
  return {
    description: `the ${level} level ${verb} on namespace "${
      namespace.metadata?.name
    }" at ${version}${
      evaluated === version ? '' : ` (${evaluated} on this cluster)`
    }`,
    violations: evaluatePodSecurity(pod, level, evaluated),
  };
}

/** One finding per violated control, at its first offending field. */
export function violationFinding(
  violation: PodSecurityViolation,
  { description }: NamespaceLevelViolations,
  consequence: string,
): FindingDraft {
  const [first] = violation.fields;
  const detail = violation.fields
    .map(
      ({ container, field, value }) =>
        `${container ? `container "${container}" ` : ''}${field}=${value}`,
    )
    .join(', ');
  const containers = new Set(
    violation.fields.map(({ container }) => container),
  );
  return {
    message: `Violates the "${violation.control}" control of ${description}: ${detail}. ${consequence}`,
    path: first.path,
    ...(containers.size === 1 && first.container
      ? { container: first.container }
      : {}),
    evidence: violation.fields.length === 1 ? first.value : detail,
  };
}
