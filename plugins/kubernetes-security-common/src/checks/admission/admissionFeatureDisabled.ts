import type { AdmissionCheck } from '../types';

export const admissionFeatureDisabled: AdmissionCheck = {
  id: 'admission-feature-disabled',
  title: 'Admission policies exist but the cluster does not run them',
  severity: 'medium',
  area: 'admission',
  scope: 'admission',
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
