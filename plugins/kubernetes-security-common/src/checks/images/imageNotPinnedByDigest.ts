import type { WorkloadCheck } from '../types';
import { mutableImageContainers } from './imageContainers';

export const imageNotPinnedByDigest: WorkloadCheck = {
  scope: 'workload',
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
  run({ workload }) {
    return mutableImageContainers(workload).map(
      ({ container, path, image, reference }) => ({
        container: container.name,
        message:
          reference.digest === undefined
            ? `Container "${container.name}" references image "${image}" by tag, not by digest`
            : `Container "${container.name}" references image "${image}" with a malformed digest`,
        path: `${path}.image`,
        evidence: image,
      }),
    );
  },
};
