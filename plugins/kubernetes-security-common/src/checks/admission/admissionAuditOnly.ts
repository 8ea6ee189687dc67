import type { AdmissionCheck } from '../types';
import { admissionAuditOnlyMetadata } from './metadata';
import { bindingEnforcementFix } from './policyFixes';

export const admissionAuditOnly: AdmissionCheck = {
  ...admissionAuditOnlyMetadata,
  scope: 'admission',
  run: context =>
    context.subject !== 'workload'
      ? []
      : context.evaluations
          .filter(
            e => e.outcome === 'would-warn' || e.outcome === 'would-audit',
          )
          .map(e => ({
            message: `Violates policy "${e.policy}" (binding "${
              e.binding
            }", ${e.actions.join('+')} only, not enforced): ${
              e.message ?? 'validation failed'
            }`,
            path: e.object.evaluatedAs === 'Pod' ? context.podSpecPath : 'spec',
            ...(e.expression ? { evidence: e.expression } : {}),
            fix: bindingEnforcementFix(e, context.policyApiVersion),
          })),
};
