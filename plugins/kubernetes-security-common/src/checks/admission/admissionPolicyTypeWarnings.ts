import type { AdmissionCheck } from '../types';

export const admissionPolicyTypeWarnings: AdmissionCheck = {
  id: 'admission-policy-type-warnings',
  title: 'Admission policy has type-checking warnings',
  severity: 'low',
  area: 'admission',
  scope: 'admission',
  rationale:
    'The API server type-checked an expression of a policy bound in this namespace and found a problem (a misspelt field, a wrong type). Such an expression fails at admission time, and then failurePolicy decides, which may silently admit everything.',
  remediation: {
    text: 'Fix the expressions named in status.typeChecking.expressionWarnings of the policy.',
    yaml: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
spec:
  failurePolicy: Fail
  validations:
    - expression: object.spec.replicas <= 5   # the field the warning named`,
  },
  docs: 'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#type-checking',
  equivalents: {},
  run: context =>
    context.subject !== 'namespace'
      ? []
      : context.typeWarnings.map(w => ({
          message: `Policy "${w.policy}" applies in namespace "${context.namespace}" and has a type-checking warning: ${w.warning}`,
          path: 'metadata',
          evidence: w.warning,
        })),
};
