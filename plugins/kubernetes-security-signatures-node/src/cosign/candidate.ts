import type { SerializedBundle } from '@sigstore/bundle';

/**
 * One signature found next to an image, normalised to a sigstore bundle so
 * both formats go through the same verifier. `problem` is set when it could
 * not even be turned into a bundle (the signature is then invalid).
 */
export interface SignatureCandidate {
  format: 'legacy' | 'bundle';
  /** The `.sig` manifest or the bundle's referrer manifest. */
  artifactDigest: string;
  /** Which layer of a `.sig` manifest, for messages. */
  layer?: number;
  bundle?: SerializedBundle;
  /** The signed bytes for message signatures (legacy); DSSE carries its own. */
  payload?: Buffer;
  /** Keyless: the leaf certificate is in the bundle; keyed: only a key hint. */
  keyed: boolean;
  problem?: string;
}
