import type { AdmissionCheck } from '../types';

export const admissionWouldDeny: AdmissionCheck = {
  id: 'admission-would-deny',
  title: 'An admission policy would deny this workload',
  severity: 'high',
  area: 'admission',
  scope: 'admission',
  rationale:
    'A ValidatingAdmissionPolicy with a Deny binding rejects this object as it is today. Running replicas were admitted earlier; the next rollout, reschedule or scale-up fails when the controller creates Pods.',
  remediation: {
    text: 'Change the workload so it satisfies the policy (the message says what it requires), or, if the workload is a justified exception, exclude it in the binding rather than weakening the policy.',
    yaml: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: deny-privileged-containers-binding
spec:
  policyName: deny-privileged-containers
  validationActions: [Deny]
  matchResources:
    objectSelector:
      matchExpressions:
        - key: policy.example.com/exempt
          operator: DoesNotExist`,
  },
  docs: 'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/',
  equivalents: {},
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
          })),
};
