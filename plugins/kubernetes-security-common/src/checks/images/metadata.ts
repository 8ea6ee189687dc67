import type { CheckMetadata } from '../types';

export const imageTagMissingOrLatestMetadata: CheckMetadata = {
  id: 'image-tag-missing-or-latest',
  title: 'Image without a tag or tagged latest',
  severity: 'medium',
  area: 'images',
  rationale:
    'An image without a tag means `latest`, and `latest` moves with every push: replicas, restarts and rollbacks can ' +
    'run code nobody reviewed, and the manifest does not say which build runs. A reference pinned by digest ' +
    '(`app@sha256:…`, even `app:latest@sha256:…`) is immutable and is not flagged.',
  remediation: {
    text: 'Reference a released version tag, or better the digest of the image you tested.',
    yaml: `containers:
  - name: app
    image: registry.example.com/app:1.4.2@sha256:<digest>`,
  },
  docs: 'https://kubernetes.io/docs/concepts/containers/images/#image-names',
  equivalents: { polaris: 'tagNotSpecified' },
};

export const imageNotPinnedByDigestMetadata: CheckMetadata = {
  id: 'image-not-pinned-by-digest',
  title: 'Image not pinned by digest',
  severity: 'low',
  area: 'images',
  rationale:
    'A tag can be moved to another image at any time, so the same manifest can run different code on different ' +
    'nodes or days, and a signature or scan verified for the tag does not bind what the kubelet later pulls. ' +
    'A digest names exactly one image. Pinning only pays off with automated digest updates, or fixes stop arriving.',
  remediation: {
    text: 'Add the digest of the image you built and verified; keeping the tag in front of it documents the version.',
    yaml: `containers:
  - name: app
    image: registry.example.com/app:1.4.2@sha256:<digest>`,
  },
  docs: 'https://kubernetes.io/docs/concepts/containers/images/#image-names',
  equivalents: { kubescape: 'C-0306' },
};

export const imagePullPolicyNotAlwaysMetadata: CheckMetadata = {
  id: 'image-pull-policy-not-always',
  title: 'Mutable image tag without imagePullPolicy Always',
  severity: 'low',
  area: 'images',
  rationale:
    'With `IfNotPresent` or `Never`, a node keeps running whatever image it cached for a tag, so replicas can run ' +
    'different builds after the tag moves, and a pod can use a private image another pod pulled without ' +
    'presenting credentials itself. Flagged: images not pinned by digest whose effective policy is not `Always`. ' +
    'The effective policy is the one set, or the API server default: `Always` for `latest` or no tag, ' +
    '`IfNotPresent` for any other tag. Digest-pinned images are not flagged: the digest already fixes the ' +
    'content. Polaris flags every container without an explicit `Always`, digests included.',
  remediation: {
    text:
      'Set `imagePullPolicy: Always` (the kubelet then only checks the digest with the registry and reuses ' +
      'cached layers), or pin the image by digest.',
    yaml: `containers:
  - name: app
    image: registry.example.com/app:1.4.2
    imagePullPolicy: Always`,
  },
  docs: 'https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting',
  equivalents: { polaris: 'pullPolicyNotAlways' },
};
