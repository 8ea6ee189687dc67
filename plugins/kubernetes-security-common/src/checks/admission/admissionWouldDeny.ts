import type { AdmissionCheck } from '../types';
import { admissionWouldDenyMetadata } from './metadata';
import { bindingExclusionFix } from './policyFixes';

export const admissionWouldDeny: AdmissionCheck = {
  ...admissionWouldDenyMetadata,
  scope: 'admission',
  run: context =>
    context.subject !== 'workload'
      ? []
      : context.evaluations
          .filter(e => e.outcome === 'would-be-denied')
          .map(e => ({
            message: `${
              e.object.evaluatedAs === 'Pod'
                ? 'Its Pods'
                : `The ${e.object.kind}`
            } would be denied by policy "${e.policy}" (binding "${
              e.binding
            }"): ${e.message ?? 'validation failed'}`,
            path: e.object.evaluatedAs === 'Pod' ? context.podSpecPath : 'spec',
            ...(e.expression ? { evidence: e.expression } : {}),
            fix: bindingExclusionFix(e, context.policyApiVersion),
          })),
};
