import type { Container } from '../../kubernetes';
import { containerEntries, type ContainerListField } from '../podSpec';
import { containerFix } from '../fix';
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
  /** The list of the container, e.g. `initContainers`. */
  field: ContainerListField;
  image: string;
  reference: ImageReference;
}

/** Every container of the workload that names an image, init and ephemeral ones included. */
export function imageContainers(
  workload: WorkloadUnderCheck,
): ImageContainer[] {
  return containerEntries(workload.template.spec, workload.podSpecPath).flatMap(
    ({ container, path, field }) =>
      container.image
        ? [
            {
              container,
              path,
              field,
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

/**
 * A fix that pins the container's image by digest: `name` (the image with
 * the tag to keep) and a `<digest>` placeholder, which only the owner can
 * fill in with the digest of the build they tested.
 */
export function digestPinFix(
  workload: WorkloadUnderCheck,
  { container, field }: Pick<ImageContainer, 'container' | 'field'>,
  name: string,
): string | undefined {
  return containerFix(
    workload,
    { field, name: container.name },
    { image: `${name}@sha256:<digest>` },
    `Replace <digest> with the digest of the image you tested, e.g. from: crane digest ${name}`,
  );
}
