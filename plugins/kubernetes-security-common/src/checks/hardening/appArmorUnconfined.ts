import { annotationPath, containerOf, securitySettings, settingOwner } from '../securityContext';
import type { FindingDraft, WorkloadCheck } from '../types';

const ALLOWED_TYPES = ['RuntimeDefault', 'Localhost'];
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Values of the deprecated annotation that keep a profile on; an empty value means the default. */
function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

export const appArmorUnconfined: WorkloadCheck = {
  scope: 'workload',
  id: 'apparmor-unconfined',
  title: 'AppArmor explicitly disabled',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    "On nodes with AppArmor the runtime confines containers with its default profile; an Unconfined profile removes that layer, which blocks, among others, mounts and writes to sensitive /proc and /sys files.",
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
    const { spec, metadata } = workload.template;
    const { podSpecPath } = workload;
    const fields: FindingDraft[] = securitySettings<{ type?: string }>(spec, podSpecPath, 'appArmorProfile')
      .filter(setting => !ALLOWED_TYPES.includes(setting.value?.type ?? ''))
      .map(setting => ({
        ...containerOf(setting),
        message: `${settingOwner(setting)} sets AppArmor profile type ${setting.value?.type ?? '(none)'}`,
        path: `${setting.path}.type`,
        evidence: String(setting.value?.type ?? 'not set'),
      }));
    // Like Pod Security Standards, every key of the annotation counts, whether or not a container has that name.
    const annotated = Object.entries(metadata?.annotations ?? {})
      .filter(([key, value]) => key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotationValue(value))
      .map(([key, value]) => {
        const container = key.slice(ANNOTATION_PREFIX.length);
        return {
          container,
          message: `Container "${container}" has AppArmor profile ${value} through the annotation ${key}`,
          path: annotationPath(podSpecPath, key),
          evidence: value,
        };
      });
    return fields.concat(annotated);
  },
};
