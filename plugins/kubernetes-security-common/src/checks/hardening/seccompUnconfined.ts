import { containerEntries } from '../podSpec';
import {
  CONFINED_PROFILE_TYPES,
  unconfinedSeccompAnnotations,
} from '../podSecurity/podSecurityStandards';
import {
  annotationPath,
  containerOf,
  profileTypeFindings,
  settingOwner,
} from '../securityContext';
import type { FindingDraft, WorkloadCheck } from '../types';

export const seccompUnconfined: WorkloadCheck = {
  scope: 'workload',
  id: 'seccomp-unconfined',
  title: 'Seccomp explicitly disabled',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    "An Unconfined seccomp profile turns off the runtime's system call filter, even where the kubelet would apply RuntimeDefault, and exposes the whole kernel interface to the container.",
  remediation: {
    text: 'Set `seccompProfile.type` to `RuntimeDefault` or `Localhost`, and remove the deprecated `seccomp.security.alpha.kubernetes.io` annotations.',
    yaml: `securityContext:
  seccompProfile:
    type: RuntimeDefault`,
  },
  docs: 'https://kubernetes.io/docs/tutorials/security/seccomp/',
  equivalents: {
    pss: { control: 'Seccomp', level: 'baseline' },
  },
  run({ workload }) {
    const { spec, metadata } = workload.template;
    const { podSpecPath } = workload;
    const fields = profileTypeFindings(
      workload,
      'seccompProfile',
      'seccomp',
      CONFINED_PROFILE_TYPES,
    );
    // The deprecated annotations set the profile before the field existed (Kubernetes 1.19);
    // Pod Security Standards check them for those versions.
    const annotated = unconfinedSeccompAnnotations(
      metadata?.annotations ?? {},
      containerEntries(spec, podSpecPath),
    ).map(
      ({ key, value, container }): FindingDraft => ({
        ...containerOf({ container }),
        message: `${settingOwner({
          container,
        })} has seccomp profile ${value} through the annotation ${key}`,
        path: annotationPath(podSpecPath, key),
        evidence: value,
      }),
    );
    return fields.concat(annotated);
  },
};
