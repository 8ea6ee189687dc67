import type { AdmissionCheck } from '../types';
import { admissionPolicyTypeWarningsMetadata } from './metadata';

export const admissionPolicyTypeWarnings: AdmissionCheck = {
  ...admissionPolicyTypeWarningsMetadata,
  scope: 'admission',
  run: context =>
    context.subject !== 'namespace'
      ? []
      : context.typeWarnings.map(w => ({
          message: `Policy "${w.policy}" applies in namespace "${context.namespace}" and has a type-checking warning: ${w.warning}`,
          path: 'metadata',
          evidence: w.warning,
        })),
};
