import { createHash } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';
import type { Descriptor } from '../registry/RegistryClient';
import {
  ANNOTATION_BUNDLE,
  ANNOTATION_CERTIFICATE,
  ANNOTATION_RFC3161,
  ANNOTATION_SIGNATURE,
  SIMPLESIGNING_MEDIA_TYPE,
} from './constants';
import type { SignatureCandidate } from './candidate';
import { parseJsonObject, pemToDer } from './encoding';

/** cosign's simple-signing payload: what a legacy signature actually signs. */
interface SimpleSigningPayload {
  critical?: {
    identity?: { 'docker-reference'?: unknown };
    image?: { 'docker-manifest-digest'?: unknown };
    type?: unknown;
  };
}

/** The Rekor SET cosign stores in `dev.sigstore.cosign/bundle`. */
interface RekorBundleAnnotation {
  SignedEntryTimestamp?: unknown;
  Payload?: {
    body?: unknown;
    integratedTime?: unknown;
    logIndex?: unknown;
    logID?: unknown;
  };
}

/**
 * Turns one layer of a cosign `.sig` manifest into a sigstore v0.1 bundle
 * (message signature over the payload, leaf certificate or key hint, Rekor
 * entry with its SET), after checking the payload names `imageDigest`, so a
 * signature copied from another image is rejected here.
 */
export function legacyLayerToCandidate(
  layer: Descriptor,
  payload: Buffer,
  imageDigest: string,
  artifactDigest: string,
  index: number,
): SignatureCandidate {
  const base = {
    format: 'legacy' as const,
    artifactDigest,
    layer: index,
    payload,
  };
  const fail = (problem: string): SignatureCandidate => ({
    ...base,
    keyed: false,
    problem,
  });
  // The layer is the registry's JSON: any field may hold anything.
  if (layer?.mediaType !== SIMPLESIGNING_MEDIA_TYPE)
    return fail(
      `layer ${index} is ${
        typeof layer?.mediaType === 'string' ? layer.mediaType : 'not a layer'
      }, not a cosign simple-signing payload`,
    );
  const annotations = layer.annotations ?? {};
  const notText = [
    ANNOTATION_SIGNATURE,
    ANNOTATION_CERTIFICATE,
    ANNOTATION_BUNDLE,
    ANNOTATION_RFC3161,
  ].find(
    key =>
      annotations[key] !== undefined && typeof annotations[key] !== 'string',
  );
  if (notText)
    return fail(`layer ${index} has an annotation ${notText} that is not text`);
  const signature = annotations[ANNOTATION_SIGNATURE];
  if (!signature || !isBase64(signature))
    return fail(`layer ${index} has no signature annotation`);

  const parsed = parseJsonObject<SimpleSigningPayload>(payload);
  if (!parsed) return fail('the signed payload is not a JSON object');
  const signedDigest = parsed.critical?.image?.['docker-manifest-digest'];
  if (signedDigest !== imageDigest)
    return fail(
      `the payload signs ${
        typeof signedDigest === 'string' ? signedDigest : 'no digest'
      }, not this image (${imageDigest})`,
    );

  const certificatePem = annotations[ANNOTATION_CERTIFICATE];
  const certificate = certificatePem
    ? pemToDer(certificatePem, 'CERTIFICATE')
    : undefined;
  if (certificatePem && !certificate)
    return fail('the certificate annotation is not a PEM certificate');

  const tlogEntries: SerializedBundle['verificationMaterial']['tlogEntries'] =
    [];
  const rekor = annotations[ANNOTATION_BUNDLE];
  if (rekor) {
    const entry = rekorEntry(rekor);
    if (typeof entry === 'string') return fail(entry);
    tlogEntries.push(entry);
  }
  const timestamps: { signedTimestamp: string }[] = [];
  const rfc3161 = annotations[ANNOTATION_RFC3161];
  if (rfc3161) {
    const ts = parseJsonObject<{ SignedRFC3161Timestamp?: unknown }>(
      Buffer.from(rfc3161),
    );
    if (
      typeof ts?.SignedRFC3161Timestamp !== 'string' ||
      !isBase64(ts.SignedRFC3161Timestamp)
    )
      return fail('the RFC 3161 timestamp annotation is malformed');
    timestamps.push({ signedTimestamp: ts.SignedRFC3161Timestamp });
  }

  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      ...(certificate
        ? {
            x509CertificateChain: {
              certificates: [{ rawBytes: certificate.toString('base64') }],
            },
          }
        : // The hint is chosen per trusted key when verifying.
          { publicKey: { hint: '' } }),
      tlogEntries,
      timestampVerificationData: { rfc3161Timestamps: timestamps },
    },
    messageSignature: {
      messageDigest: {
        algorithm: 'SHA2_256',
        digest: createHash('sha256').update(payload).digest('base64'),
      },
      signature,
    },
  } as SerializedBundle;
  return { ...base, keyed: !certificate, bundle };
}

type SerializedTLogEntry =
  SerializedBundle['verificationMaterial']['tlogEntries'][number];

function rekorEntry(annotation: string): SerializedTLogEntry | string {
  const parsed = parseJsonObject<RekorBundleAnnotation>(
    Buffer.from(annotation),
  );
  const payload = parsed?.Payload;
  const set = parsed?.SignedEntryTimestamp;
  if (
    !payload ||
    typeof set !== 'string' ||
    typeof payload.body !== 'string' ||
    typeof payload.logID !== 'string' ||
    !/^[a-f0-9]{64}$/.test(payload.logID) ||
    !Number.isSafeInteger(payload.integratedTime) ||
    !Number.isSafeInteger(payload.logIndex)
  )
    return 'the Rekor bundle annotation is malformed';
  const body = parseJsonObject<{ kind?: unknown; apiVersion?: unknown }>(
    Buffer.from(payload.body, 'base64'),
  );
  if (typeof body?.kind !== 'string' || typeof body.apiVersion !== 'string')
    return 'the Rekor entry body is not a Rekor entry';
  return {
    logIndex: String(payload.logIndex),
    logId: { keyId: Buffer.from(payload.logID, 'hex').toString('base64') },
    kindVersion: { kind: body.kind, version: body.apiVersion },
    integratedTime: String(payload.integratedTime),
    inclusionPromise: { signedEntryTimestamp: set },
    inclusionProof: undefined,
    canonicalizedBody: payload.body,
  };
}

function isBase64(value: string): boolean {
  return (
    value.length > 0 &&
    value.length < 16_384 &&
    /^[A-Za-z0-9+/]+={0,2}$/.test(value)
  );
}
