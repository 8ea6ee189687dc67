import { podSpecFix } from '../fix';
import { containerEntries, field } from '../podSpec';
import { isWindowsPod } from '../securityContext';
import type { WorkloadCheck } from '../types';
import { seccompProfileMissingMetadata } from './metadata';

export const seccompProfileMissing: WorkloadCheck = {
  scope: 'workload',
  ...seccompProfileMissingMetadata,
  run({ workload }) {
    const { spec } = workload.template;
    // Windows pods cannot set seccomp, and Pod Security Standards exempt them.
    // A profile of the wrong type is reported by seccomp-unconfined; the
    // deprecated annotations do not count, as in Pod Security Standards.
    if (
      isWindowsPod(spec) ||
      field(spec?.securityContext, 'seccompProfile') !== undefined
    )
      return [];
    return containerEntries(spec, workload.podSpecPath)
      .filter(
        ({ container }) =>
          field(container.securityContext, 'seccompProfile') === undefined,
      )
      .map(({ container, path }) => ({
        container: container.name,
        message: `Container "${container.name}" has no seccomp profile, and neither does the pod`,
        path: `${path}.securityContext.seccompProfile`,
        evidence: 'not set',
        // Once for the pod, as the remediation says: every container inherits it.
        fix: podSpecFix(workload, {
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        }),
      }));
  },
};
