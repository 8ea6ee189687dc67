import type { AdmissionCheck } from '../types';
import { admissionFeatureDisabledMetadata } from './metadata';

export const admissionFeatureDisabled: AdmissionCheck = {
  ...admissionFeatureDisabledMetadata,
  scope: 'admission',
  run: context =>
    context.subject !== 'namespace'
      ? []
      : context.policiesNotRun.map(p => ({
          message: `Policy "${p.policy}"${
            p.binding ? ` (binding "${p.binding}")` : ''
          } targets namespace "${context.namespace}" but is not run: ${
            p.reason
          }`,
          path: 'metadata',
        })),
};
