import type { CheckMetadata } from '../types';

export const admissionWouldDenyMetadata: CheckMetadata = {
  id: 'admission-would-deny',
  title: 'An admission policy would deny this workload',
  severity: 'high',
  area: 'admission',
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
};

export const admissionAuditOnlyMetadata: CheckMetadata = {
  id: 'admission-audit-only',
  title: 'Violates an admission policy that only warns or audits',
  severity: 'low',
  area: 'admission',
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
};

export const admissionUnknownMetadata: CheckMetadata = {
  id: 'admission-unknown',
  title: 'Admission policy outcome could not be simulated',
  severity: 'info',
  area: 'admission',
  rationale:
    'The dry run could not evaluate a policy that applies to this workload (an authorizer check, a CEL function it does not implement, or params it could not read), so whether the workload would be admitted is unknown, not passed.',
  remediation: {
    text: 'Check the workload against the policy with a server-side dry run, which runs the real admission chain: `kubectl apply --dry-run=server -f workload.yaml`.',
    yaml: `# kubectl apply --dry-run=server -f deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web`,
  },
  docs: 'https://kubernetes.io/docs/reference/using-api/cel/',
  equivalents: {},
};

export const admissionSignedImagesNotRequiredMetadata: CheckMetadata = {
  id: 'admission-signed-images-not-required',
  title: 'No admission control requires signed images',
  severity: 'medium',
  area: 'admission',
  rationale:
    'Without a control that denies unsigned images (sigstore policy-controller, a Kyverno verifyImages rule), anyone able to push to a registry the cluster pulls from can run code in this namespace.',
  remediation: {
    text: 'Enforce signatures with a Kyverno verifyImages rule (or opt the namespace into sigstore policy-controller with the label policy.sigstore.dev/include=true).',
    yaml: `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: verify-image-signatures
spec:
  webhookTimeoutSeconds: 30
  rules:
    - name: verify-signature
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: ['registry.example.com/*']
          failureAction: Enforce
          attestors:
            - entries:
                - keyless:
                    subject: 'https://github.com/example/*'
                    issuer: 'https://token.actions.githubusercontent.com'`,
  },
  docs: 'https://kubernetes.io/docs/tasks/administer-cluster/verify-signed-artifacts/',
  equivalents: {},
};

export const admissionPolicyTypeWarningsMetadata: CheckMetadata = {
  id: 'admission-policy-type-warnings',
  title: 'Admission policy has type-checking warnings',
  severity: 'low',
  area: 'admission',
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
};

export const admissionFeatureDisabledMetadata: CheckMetadata = {
  id: 'admission-feature-disabled',
  title: 'Admission policies exist but the cluster does not run them',
  severity: 'medium',
  area: 'admission',
  rationale:
    'ValidatingAdmissionPolicy is GA in 1.30; before that it needs its API version enabled and the ValidatingAdmissionPolicy feature gate (alpha 1.26–1.27, beta 1.28–1.29, off by default). Policies written for it protect nothing where the cluster does not run them.',
  remediation: {
    text: 'Upgrade to 1.30 or later, or enable the feature gate and the API version on the kube-apiserver; until then, enforce the same rules with Pod Security Admission or another admission controller.',
    yaml: `# kube-apiserver flags on 1.28–1.29
- --feature-gates=ValidatingAdmissionPolicy=true
- --runtime-config=admissionregistration.k8s.io/v1beta1=true`,
  },
  docs: 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-api-machinery/3488-cel-admission-control',
  equivalents: {},
};
