import type { WorkloadCheck } from '../types';
import { digestPinFix, mutableImageContainers } from './imageContainers';
import { imageNotPinnedByDigestMetadata } from './metadata';

export const imageNotPinnedByDigest: WorkloadCheck = {
  scope: 'workload',
  ...imageNotPinnedByDigestMetadata,
  run({ workload }) {
    return mutableImageContainers(workload).map(
      ({ container, path, field, image, reference }) => ({
        container: container.name,
        message:
          reference.digest === undefined
            ? `Container "${container.name}" references image "${image}" by tag, not by digest`
            : `Container "${container.name}" references image "${image}" with a malformed digest`,
        path: `${path}.image`,
        evidence: image,
        // A malformed digest is replaced.
        fix: digestPinFix(
          workload,
          { container, field },
          image.replace(/@.*$/, ''),
        ),
      }),
    );
  },
};
