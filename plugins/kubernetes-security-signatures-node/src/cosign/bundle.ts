import type { SerializedBundle } from '@sigstore/bundle';
import type { FetchedManifest } from '../registry/RegistryClient';
import {
  BUNDLE_V03_MEDIA_TYPE,
  COSIGN_SIGN_PREDICATE,
  IN_TOTO_PAYLOAD_TYPE,
} from './constants';
import type { SignatureCandidate } from './candidate';
import { parseJsonObject } from './encoding';

/** cosign v3 copies the predicate type onto the referrer manifest. */
export const PREDICATE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

interface InTotoStatement {
  _type?: unknown;
  predicateType?: unknown;
  subject?: { digest?: Record<string, unknown> }[];
}

/** A bundle that is an attestation, not a signature: seen, never counted. */
export interface Attestation {
  artifactDigest: string;
  predicateType: string;
}

/** The layer of a referrer manifest that holds the bundle, if it is one. */
export function bundleLayer(manifest: FetchedManifest) {
  // The manifest is the registry's JSON: `layers` may be anything.
  const { layers } = manifest.manifest;
  return Array.isArray(layers)
    ? layers.find(layer => layer?.mediaType === BUNDLE_V03_MEDIA_TYPE)
    : undefined;
}

/**
 * Reads a sigstore bundle attached by cosign v3 as a signature: a DSSE
 * in-toto statement with cosign's sign predicate whose subject is
 * `imageDigest`. Any other predicate is an attestation (provenance, SBOM,
 * promotion records) and is returned as such, not as a signature.
 */
export function bundleToCandidate(
  manifest: FetchedManifest,
  bundleBytes: Buffer,
  imageDigest: string,
): SignatureCandidate | Attestation {
  const base = { format: 'bundle' as const, artifactDigest: manifest.digest };
  const fail = (problem: string): SignatureCandidate => ({
    ...base,
    keyed: false,
    problem,
  });
  if (manifest.manifest.subject?.digest !== imageDigest)
    return fail(
      `the bundle manifest's subject is not this image (${imageDigest})`,
    );
  const bundle = parseJsonObject<SerializedBundle>(bundleBytes);
  if (!bundle) return fail('the bundle is not a JSON object');
  const envelope = (
    bundle as { dsseEnvelope?: { payload?: unknown; payloadType?: unknown } }
  ).dsseEnvelope;
  if (!envelope || typeof envelope.payload !== 'string')
    return fail('the bundle holds no DSSE envelope');
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return fail(
      `the DSSE payload type is ${describeField(
        envelope.payloadType,
      )}, not in-toto`,
    );
  const statement = parseJsonObject<InTotoStatement>(
    Buffer.from(envelope.payload, 'base64'),
  );
  if (!statement) return fail('the DSSE payload is not an in-toto statement');
  if (statement.predicateType !== COSIGN_SIGN_PREDICATE)
    return {
      artifactDigest: manifest.digest,
      predicateType: describeField(statement.predicateType),
    };
  const hex = imageDigest.slice('sha256:'.length);
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  if (!subjects.some(subject => subject?.digest?.sha256 === hex))
    return fail('the signed statement names another image as its subject');
  const material = bundle.verificationMaterial as
    | Record<string, unknown>
    | undefined;
  const keyed =
    typeof material === 'object' &&
    material !== null &&
    'publicKey' in material &&
    !('certificate' in material) &&
    !('x509CertificateChain' in material);
  return { ...base, keyed, bundle };
}

/** A field of the bundle for a message: text as it is (cut short), anything else by its type. */
function describeField(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 200);
  if (value === null || Array.isArray(value))
    return `(${value === null ? 'null' : 'a list'})`;
  return `(${typeof value})`;
}

export function isAttestation(
  value: SignatureCandidate | Attestation,
): value is Attestation {
  return 'predicateType' in value;
}
