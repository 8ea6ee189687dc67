import type { AdmissionCheck } from '../types';
import { fixYaml } from '../fix';
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
          fix: fixYaml(
            [
              {
                apiVersion: context.policyApiVersion,
                kind: 'ValidatingAdmissionPolicy',
                metadata: { name: w.policy },
              },
            ],
            `Fix the expression this warning names in policy "${w.policy}": ${w.warning}`,
          ),
        })),
};
