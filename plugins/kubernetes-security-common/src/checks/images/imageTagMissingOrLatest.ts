import type { WorkloadCheck } from '../types';
import { digestPinFix, imageContainers } from './imageContainers';
import { imageTagMissingOrLatestMetadata } from './metadata';

export const imageTagMissingOrLatest: WorkloadCheck = {
  scope: 'workload',
  ...imageTagMissingOrLatestMetadata,
  run({ workload }) {
    return imageContainers(workload).flatMap(
      ({ container, path, field, image, reference: { tag, digest } }) => {
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
            fix: digestPinFix(
              workload,
              { container, field },
              `${image.replace(/:latest$/, '')}:<version>`,
            ),
          },
        ];
      },
    );
  },
};
