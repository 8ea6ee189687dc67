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
import { podMetadataFix } from '../fix';
import type { FindingDraft, WorkloadCheck } from '../types';
import { seccompUnconfinedMetadata } from './metadata';

export const seccompUnconfined: WorkloadCheck = {
  scope: 'workload',
  ...seccompUnconfinedMetadata,
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
        fix: podMetadataFix(workload, {
          annotations: { [key]: 'runtime/default' },
        }),
      }),
    );
    return fields.concat(annotated);
  },
};
