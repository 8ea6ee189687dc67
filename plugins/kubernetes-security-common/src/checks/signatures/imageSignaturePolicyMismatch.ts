import type { WorkloadCheck } from '../types';
import { signatureFindings, signers } from './signatureFindings';

export const imageSignaturePolicyMismatch: WorkloadCheck = {
  scope: 'workload',
  id: 'image-signature-policy-mismatch',
  title: 'Image signed by an identity the policy does not accept',
  severity: 'high',
  area: 'image-signatures',
  rationale:
    'The image carries a valid signature, but not from a signer the policy trusts (another workflow, another ' +
    'repository, a personal account or an unknown key). Anyone can sign anything with keyless signing; only the ' +
    'identity makes a signature mean something.',
  remediation: {
    text:
      'Rebuild and sign the image from the trusted pipeline, or, if the signer is legitimate, add it as an ' +
      'authority of the image policy in `kubernetesSecurity.signatures.policies` (and in your admission policy).',
    yaml: `kubernetesSecurity:
  signatures:
    policies:
      - name: apps
        images: ['registry.example.com/**']
        authorities:
          - keyless:
              identity: https://github.com/example/app/.github/workflows/release.yaml@refs/heads/main
              issuer: https://token.actions.githubusercontent.com`,
  },
  docs: 'https://kubernetes.io/docs/tasks/administer-cluster/verify-signed-artifacts/',
  equivalents: {},
  run(context) {
    return signatureFindings(
      context,
      ['policy-mismatch'],
      verification =>
        `${verification.image} is signed by ${signers(
          verification,
        )}, which policy "${verification.policy ?? 'none'}" does not accept`,
    );
  },
};
