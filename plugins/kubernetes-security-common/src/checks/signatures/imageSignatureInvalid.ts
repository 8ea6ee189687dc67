import type { WorkloadCheck } from '../types';
import { signatureFindings } from './signatureFindings';

export const imageSignatureInvalid: WorkloadCheck = {
  scope: 'workload',
  id: 'image-signature-invalid',
  title: 'Image signature does not verify',
  severity: 'critical',
  area: 'image-signatures',
  rationale:
    'A signature exists but fails verification: the payload was changed after signing, it names another image ' +
    'digest, or its transparency-log entry is not from a trusted log. This is what tampering looks like.',
  remediation: {
    text:
      'Treat the image as compromised until proven otherwise: stop rolling it out, compare the digest with what ' +
      'the pipeline built, and re-sign a known-good digest. Require signatures at admission so such images are rejected.',
    yaml: `apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata:
  name: require-signed
spec:
  images: [{ glob: 'registry.example.com/**' }]
  authorities:
    - keyless:
        identities:
          - issuer: https://token.actions.githubusercontent.com
            subject: https://github.com/example/app/.github/workflows/release.yaml@refs/heads/main`,
  },
  docs: 'https://kubernetes.io/docs/tasks/administer-cluster/verify-signed-artifacts/',
  equivalents: {},
  run(context) {
    return signatureFindings(
      context,
      ['invalid-signature'],
      verification => `${verification.image}: ${verification.reason}`,
    );
  },
};
