import { containerEntries, field } from '../podSpec';
import { isWindowsPod } from '../securityContext';
import type { WorkloadCheck } from '../types';

export const seccompProfileMissing: WorkloadCheck = {
  scope: 'workload',
  id: 'seccomp-profile-missing',
  title: 'No seccomp profile',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'Without a seccomp profile a container runs Unconfined (unless the kubelet defaults to RuntimeDefault) and can call every system call, including the rarely used ones most kernel exploits go through.',
  remediation: {
    text: 'Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a profile of your own) in the pod security context, or in every container.',
    yaml: `spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault`,
  },
  docs: 'https://kubernetes.io/docs/tutorials/security/seccomp/',
  equivalents: {
    kubescape: 'C-0210',
    pss: { control: 'Seccomp', level: 'restricted' },
    cis: '5.7.2',
  },
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
      }));
  },
};
