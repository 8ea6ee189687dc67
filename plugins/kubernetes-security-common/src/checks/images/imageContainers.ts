import type { Container } from '../../kubernetes';
import { containerEntries } from '../podSpec';
import type { WorkloadUnderCheck } from '../types';
import {
  isPinnedByDigest,
  parseImageReference,
  type ImageReference,
} from './imageReference';

/** A container that names an image, with the image reference parsed. */
export interface ImageContainer {
  container: Container;
  /** Path of the container, e.g. `spec.template.spec.containers[1]`. */
  path: string;
  image: string;
  reference: ImageReference;
}

/** Every container of the workload that names an image, init and ephemeral ones included. */
export function imageContainers(
  workload: WorkloadUnderCheck,
): ImageContainer[] {
  return containerEntries(workload.template.spec, workload.podSpecPath).flatMap(
    ({ container, path }) =>
      container.image
        ? [
            {
              container,
              path,
              image: container.image,
              reference: parseImageReference(container.image),
            },
          ]
        : [],
  );
}

/** The containers whose image is not pinned by a valid digest, so what runs can change under the same reference. */
export function mutableImageContainers(
  workload: WorkloadUnderCheck,
): ImageContainer[] {
  return imageContainers(workload).filter(
    ({ reference }) => !isPinnedByDigest(reference),
  );
}
