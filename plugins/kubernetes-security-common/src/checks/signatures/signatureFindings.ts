import type {
  ImageSignatureState,
  ImageVerification,
} from '../../reportSections';
import { containerEntries } from '../podSpec';
import type { FindingDraft, WorkloadCheckContext } from '../types';

/**
 * One finding per container whose image verified into one of `states`. The
 * verification results come from the scan (registry and sigstore I/O); the
 * checks only read them.
 */
export function signatureFindings(
  context: WorkloadCheckContext,
  states: ImageSignatureState[],
  describe: (verification: ImageVerification) => string,
): FindingDraft[] {
  const { workload, images } = context;
  if (!images?.length) return [];
  const name = workload.object.metadata?.name;
  return containerEntries(workload.template.spec, workload.podSpecPath).flatMap(
    ({ container, path }) => {
      const verification = images.find(
        candidate =>
          states.includes(candidate.state) &&
          candidate.usedBy.some(
            use =>
              use.name === name &&
              use.kind === workload.kind &&
              use.container === container.name,
          ),
      );
      if (!verification) return [];
      return [
        {
          container: container.name,
          message: `Container "${container.name}": ${describe(verification)}`,
          path: `${path}.image`,
          evidence: [verification.image, verification.digest]
            .filter(Boolean)
            .join(' @ '),
        },
      ];
    },
  );
}

export function signers(verification: ImageVerification): string {
  const seen = verification.signatures
    .map(
      signature =>
        signature.identity ??
        (signature.keyId ? `key ${signature.keyId}` : undefined),
    )
    .filter(
      (value, index, all): value is string =>
        Boolean(value) && all.indexOf(value) === index,
    );
  return seen.length > 0 ? seen.join(', ') : 'no identifiable signer';
}
