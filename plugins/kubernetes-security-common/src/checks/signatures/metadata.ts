import type { CheckMetadata } from '../types';

export const imageSignatureInvalidMetadata: CheckMetadata = {
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
};

export const imageSignaturePolicyMismatchMetadata: CheckMetadata = {
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
};

export const imageUnsignedMetadata: CheckMetadata = {
  id: 'image-unsigned',
  title: 'Image is not signed',
  severity: 'medium',
  area: 'image-signatures',
  rationale:
    'Nothing proves who built an unsigned image: a compromised registry account or build step can replace it ' +
    'unnoticed. With cosign signatures (keyless through Fulcio and Rekor, or with a key) admission controllers ' +
    'and this plugin can check that the running digest came from your pipeline.',
  remediation: {
    text:
      'Sign the image in the pipeline that builds it (`cosign sign --yes <image>@<digest>`), and require signatures ' +
      'at admission, e.g. with a Kyverno `verifyImages` rule or a sigstore policy-controller ClusterImagePolicy.',
    yaml: `# .github/workflows/release.yaml (excerpt)
- uses: sigstore/cosign-installer@v3
- run: cosign sign --yes registry.example.com/team/app@\${{ steps.build.outputs.digest }}`,
  },
  docs: 'https://kubernetes.io/docs/tasks/administer-cluster/verify-signed-artifacts/',
  equivalents: {},
};

export const imageSignatureNotCheckedMetadata: CheckMetadata = {
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
};
