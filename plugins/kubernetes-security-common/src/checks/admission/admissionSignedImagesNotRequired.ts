import type { AdmissionCheck } from '../types';

export const admissionSignedImagesNotRequired: AdmissionCheck = {
  id: 'admission-signed-images-not-required',
  title: 'No admission control requires signed images',
  severity: 'medium',
  area: 'admission',
  scope: 'admission',
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
  run: context => {
    if (context.subject !== 'namespace') return [];
    const cell = context.coverage.cells.find(
      c => c.requirement === 'signed-images',
    );
    if (cell?.strongestAction === 'deny') return [];
    const weaker =
      cell?.controls.map(c => `${c.mechanism} ${c.name} (${c.action})`) ?? [];
    return [
      {
        message: weaker.length
          ? `Signed images are checked in namespace "${
              context.namespace
            }" but not enforced: ${weaker.join(', ')}`
          : `No admission control requires signed images in namespace "${context.namespace}"`,
        path: 'metadata.labels',
      },
    ];
  },
};
