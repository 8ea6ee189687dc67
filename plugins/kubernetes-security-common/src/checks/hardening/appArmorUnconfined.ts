import {
  CONFINED_PROFILE_TYPES,
  unconfinedAppArmorAnnotations,
} from '../podSecurity/podSecurityStandards';
import { annotationPath, profileTypeFindings } from '../securityContext';
import { podMetadataFix } from '../fix';
import type { FindingDraft, WorkloadCheck } from '../types';
import { appArmorUnconfinedMetadata } from './metadata';

export const appArmorUnconfined: WorkloadCheck = {
  scope: 'workload',
  ...appArmorUnconfinedMetadata,
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
      fix: podMetadataFix(workload, {
        annotations: { [key]: 'runtime/default' },
      }),
    }));
    return fields.concat(annotated);
  },
};
