import type { WorkloadCheck } from '../types';
import { imageContainers } from './imageContainers';

export const imageTagMissingOrLatest: WorkloadCheck = {
  scope: 'workload',
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
  run({ workload }) {
    return imageContainers(workload).flatMap(
      ({ container, path, image, reference: { tag, digest } }) => {
        // A digest, even beside `latest`, names one image; a malformed one fails to pull, which is not about tags.
        if (digest !== undefined || (tag !== undefined && tag !== 'latest'))
          return [];
        return [
          {
            container: container.name,
            message:
              tag === undefined
                ? `Container "${container.name}" uses image "${image}" without a tag, which pulls latest`
                : `Container "${container.name}" uses image "${image}" tagged latest`,
            path: `${path}.image`,
            evidence: image,
          },
        ];
      },
    );
  },
};
