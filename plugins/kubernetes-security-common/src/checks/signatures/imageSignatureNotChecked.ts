import type { WorkloadCheck } from '../types';
import { signatureFindings } from './signatureFindings';

export const imageSignatureNotChecked: WorkloadCheck = {
  scope: 'workload',
  id: 'image-signature-not-checked',
  title: 'Image signature could not be checked',
  severity: 'info',
  area: 'image-signatures',
  rationale:
    'The registry could not be reached, refused the plugin or is blocked by the backend registry access settings, ' +
    'the running digest is unknown, or the signature format or trust material is missing. The image is not known ' +
    'to be unsigned, but nothing was verified either.',
  remediation: {
    text:
      'Give the backend read access to the registry (`kubernetesSecurity.signatures.registries`), a trusted root ' +
      '(`trust.trustedRootFiles` when air-gapped), and a policy covering the image.',
    yaml: `kubernetesSecurity:
  signatures:
    trust:
      trustedRootFiles: [/etc/sigstore/trusted_root.json]
    registries:
      - host: registry.example.com
        username: backstage-reader
        password: \${REGISTRY_TOKEN}`,
  },
  docs: 'https://kubernetes.io/docs/tasks/administer-cluster/verify-signed-artifacts/',
  equivalents: {},
  run(context) {
    return signatureFindings(
      context,
      [
        'unverifiable',
        'registry-auth-failed',
        'registry-unreachable',
        'registry-refused',
        'digest-unknown',
      ],
      verification =>
        `${verification.image} was not verified (${verification.state}): ${verification.reason}`,
    );
  },
};
