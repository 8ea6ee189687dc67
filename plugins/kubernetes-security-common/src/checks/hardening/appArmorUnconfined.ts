import {
  CONFINED_PROFILE_TYPES,
  unconfinedAppArmorAnnotations,
} from '../podSecurity/podSecurityStandards';
import { annotationPath, profileTypeFindings } from '../securityContext';
import type { FindingDraft, WorkloadCheck } from '../types';

export const appArmorUnconfined: WorkloadCheck = {
  scope: 'workload',
  id: 'apparmor-unconfined',
  title: 'AppArmor explicitly disabled',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    'On nodes with AppArmor the runtime confines containers with its default profile; an Unconfined profile removes that layer, which blocks, among others, mounts and writes to sensitive /proc and /sys files.',
  remediation: {
    text: 'Set `appArmorProfile.type` to `RuntimeDefault` or `Localhost` (Kubernetes 1.30+), or remove the field; remove `unconfined` values of the deprecated `container.apparmor.security.beta.kubernetes.io` annotation.',
    yaml: `securityContext:
  appArmorProfile:
    type: RuntimeDefault`,
  },
  docs: 'https://kubernetes.io/docs/tutorials/security/apparmor/',
  equivalents: {
    pss: { control: 'AppArmor', level: 'baseline' },
  },
  run({ workload }) {
    const fields = profileTypeFindings(
      workload,
      'appArmorProfile',
      'AppArmor',
      CONFINED_PROFILE_TYPES,
    );
    // Like Pod Security Standards, every key of the annotation counts, whether or not a container has that name.
    const annotated: FindingDraft[] = unconfinedAppArmorAnnotations(
      workload.template.metadata?.annotations ?? {},
    ).map(({ key, value, container }) => ({
      container,
      message: `Container "${container}" has AppArmor profile ${value} through the annotation ${key}`,
      path: annotationPath(workload.podSpecPath, key),
      evidence: value,
    }));
    return fields.concat(annotated);
  },
};
