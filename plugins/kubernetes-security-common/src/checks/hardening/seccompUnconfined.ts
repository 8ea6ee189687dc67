import { containerEntries } from '../podSpec';
import { annotationPath, containerOf, securitySettings, settingOwner } from '../securityContext';
import type { FindingDraft, WorkloadCheck } from '../types';

const ALLOWED_TYPES = ['RuntimeDefault', 'Localhost'];
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** Values of the deprecated annotations that keep a profile on. */
function allowedAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

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
    const fields: FindingDraft[] = securitySettings<{ type?: string }>(spec, podSpecPath, 'seccompProfile')
      .filter(setting => !ALLOWED_TYPES.includes(setting.value?.type ?? ''))
      .map(setting => ({
        ...containerOf(setting),
        message: `${settingOwner(setting)} sets seccomp profile type ${setting.value?.type ?? '(none)'}`,
        path: `${setting.path}.type`,
        evidence: String(setting.value?.type ?? 'not set'),
      }));
    // The deprecated annotations set the profile before the field existed (Kubernetes 1.19);
    // Pod Security Standards check them for those versions.
    const annotations = metadata?.annotations ?? {};
    const annotated = [
      { key: POD_ANNOTATION, container: undefined },
      ...containerEntries(spec, podSpecPath).map(({ container }) => ({
        key: CONTAINER_ANNOTATION_PREFIX + container.name,
        container: container.name,
      })),
    ].flatMap(({ key, container }): FindingDraft[] => {
      const value = annotations[key];
      if (value === undefined || allowedAnnotationValue(value)) return [];
      return [
        {
          ...containerOf({ container }),
          message: `${settingOwner({ container })} has seccomp profile ${value} through the annotation ${key}`,
          path: annotationPath(podSpecPath, key),
          evidence: value,
        },
      ];
    });
    return fields.concat(annotated);
  },
};
