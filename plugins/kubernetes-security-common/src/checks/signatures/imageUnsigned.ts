import type { WorkloadCheck } from '../types';
import { signatureFindings } from './signatureFindings';

export const imageUnsigned: WorkloadCheck = {
  scope: 'workload',
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
  run(context) {
    return signatureFindings(
      context,
      ['unsigned'],
      verification =>
        `${verification.image} has no signature (${verification.reason})`,
    );
  },
};
