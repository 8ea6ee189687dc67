import type { AdmissionCheck } from '../types';

export const admissionAuditOnly: AdmissionCheck = {
  id: 'admission-audit-only',
  title: 'Violates an admission policy that only warns or audits',
  severity: 'low',
  area: 'admission',
  scope: 'admission',
  rationale:
    'The binding of this policy has no Deny action: the violation is shown to the client or written to the audit log, and the object is admitted anyway.',
  remediation: {
    text: 'Fix the workload so the policy passes; once nothing violates it, switch the binding to Deny so it protects the namespace.',
    yaml: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: allowed-image-registries-binding
spec:
  policyName: allowed-image-registries
  validationActions: [Deny, Audit]`,
  },
  docs: 'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#validation-actions',
  equivalents: {},
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
          })),
};
