import fc from 'fast-check';
import {
  anyString,
  fuzzParameters,
  fuzzTimeout,
  hostileValue,
  sometimesAnyValue,
} from '@internal/plugin-kubernetes-security-common/testUtils';
import type { Descriptor, FetchedManifest } from '../registry/RegistryClient';
import { bundleLayer, bundleToCandidate, isAttestation } from './bundle';
import type { SignatureCandidate } from './candidate';
import {
  ANNOTATION_BUNDLE,
  ANNOTATION_CERTIFICATE,
  ANNOTATION_RFC3161,
  ANNOTATION_SIGNATURE,
  BUNDLE_V03_MEDIA_TYPE,
  COSIGN_SIGN_PREDICATE,
  IN_TOTO_PAYLOAD_TYPE,
  SIMPLESIGNING_MEDIA_TYPE,
} from './constants';
import { pemToDer } from './encoding';
import { legacyLayerToCandidate } from './legacy';

const IMAGE_DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
const ARTIFACT_DIGEST = `sha256:${'c'.repeat(64)}`;

const base64 = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map(bytes => Buffer.from(bytes).toString('base64'));
const digest = fc.constantFrom(IMAGE_DIGEST, OTHER_DIGEST);
/** JSON as a registry may serve it: valid, of another shape, or not JSON at all. */
const jsonBytes = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof(
    {
      arbitrary: valid.map(value => Buffer.from(JSON.stringify(value))),
      weight: 4,
    },
    {
      arbitrary: hostileValue.map(value => Buffer.from(JSON.stringify(value))),
      weight: 1,
    },
    {
      arbitrary: fc.uint8Array({ maxLength: 64 }).map(b => Buffer.from(b)),
      weight: 1,
    },
  );
const jsonText = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { arbitrary: valid.map(value => JSON.stringify(value)), weight: 4 },
    { arbitrary: anyString, weight: 1 },
  );

/** cosign's simple-signing payload. */
const simpleSigningPayload = jsonBytes(
  fc.record({
    critical: sometimesAnyValue(
      fc.record({
        identity: sometimesAnyValue(
          fc.record({ 'docker-reference': fc.constant('ghcr.io/org/app') }),
        ),
        image: sometimesAnyValue(
          fc.record({ 'docker-manifest-digest': sometimesAnyValue(digest) }),
        ),
        type: fc.constant('cosign container image signature'),
      }),
    ),
  }),
);

/** The Rekor SET cosign writes into `dev.sigstore.cosign/bundle`. */
const rekorAnnotation = jsonText(
  fc.record({
    SignedEntryTimestamp: sometimesAnyValue(base64),
    Payload: sometimesAnyValue(
      fc.record({
        body: sometimesAnyValue(
          jsonText(
            fc.record({
              kind: sometimesAnyValue(fc.constant('hashedrekord')),
              apiVersion: sometimesAnyValue(fc.constant('0.0.1')),
            }),
          ).map(text => Buffer.from(text).toString('base64')),
        ),
        integratedTime: sometimesAnyValue(fc.nat()),
        logIndex: sometimesAnyValue(fc.nat()),
        logID: sometimesAnyValue(fc.stringMatching(/^[a-f0-9]{64}$/)),
      }),
    ),
  }),
);

/** A layer of a `.sig` manifest; its annotations are the registry's JSON, so anything. */
const legacyLayer = sometimesAnyValue(
  fc.record(
    {
      mediaType: sometimesAnyValue(fc.constant(SIMPLESIGNING_MEDIA_TYPE)),
      digest: fc.constant(`sha256:${'d'.repeat(64)}`),
      size: fc.nat(),
      annotations: sometimesAnyValue(
        fc.record(
          {
            [ANNOTATION_SIGNATURE]: sometimesAnyValue(base64),
            [ANNOTATION_CERTIFICATE]: sometimesAnyValue(
              fc.oneof(
                base64.map(
                  b64 =>
                    `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
                ),
                anyString,
              ),
            ),
            [ANNOTATION_BUNDLE]: sometimesAnyValue(rekorAnnotation),
            [ANNOTATION_RFC3161]: sometimesAnyValue(
              jsonText(
                fc.record({
                  SignedRFC3161Timestamp: sometimesAnyValue(base64),
                }),
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);

const inTotoStatement = fc.record({
  _type: fc.constant('https://in-toto.io/Statement/v1'),
  predicateType: sometimesAnyValue(
    fc.constantFrom(COSIGN_SIGN_PREDICATE, 'https://slsa.dev/provenance/v1'),
  ),
  subject: sometimesAnyValue(
    fc.array(
      sometimesAnyValue(
        fc.record({
          digest: sometimesAnyValue(
            fc.record({ sha256: digest.map(d => d.slice('sha256:'.length)) }),
          ),
        }),
      ),
      { maxLength: 2 },
    ),
  ),
});

/** A sigstore bundle v0.3 with a DSSE envelope, as cosign v3 attaches it. */
const bundleBytes = jsonBytes(
  fc.record({
    mediaType: fc.constant(BUNDLE_V03_MEDIA_TYPE),
    verificationMaterial: sometimesAnyValue(
      fc.oneof(
        fc.record({ publicKey: fc.record({ hint: anyString }) }),
        fc.record({ certificate: fc.record({ rawBytes: base64 }) }),
      ),
    ),
    dsseEnvelope: sometimesAnyValue(
      fc.record({
        payloadType: sometimesAnyValue(fc.constant(IN_TOTO_PAYLOAD_TYPE)),
        payload: sometimesAnyValue(
          jsonText(inTotoStatement).map(text =>
            Buffer.from(text).toString('base64'),
          ),
        ),
        signatures: fc.constant([{ sig: 'AAAA', keyid: '' }]),
      }),
    ),
  }),
);

/** A referrer manifest, parsed from the registry's JSON: any field may be anything. */
const referrerManifest = fc
  .record({
    layers: sometimesAnyValue(
      fc.array(
        sometimesAnyValue(
          fc.record({
            mediaType: sometimesAnyValue(fc.constant(BUNDLE_V03_MEDIA_TYPE)),
            digest: fc.constant(`sha256:${'e'.repeat(64)}`),
            size: fc.nat(),
          }),
        ),
        { maxLength: 3 },
      ),
    ),
    subject: sometimesAnyValue(fc.record({ digest })),
  })
  .map(
    (manifest): FetchedManifest => ({
      digest: ARTIFACT_DIGEST,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      bytes: Buffer.from(''),
      manifest: manifest as FetchedManifest['manifest'],
    }),
  );

/** A verifiable bundle, or the problem that makes it invalid. */
function isWellFormed(candidate: SignatureCandidate): boolean {
  return (
    ['legacy', 'bundle'].includes(candidate.format) &&
    typeof candidate.keyed === 'boolean' &&
    (candidate.problem === undefined
      ? candidate.bundle !== undefined
      : typeof candidate.problem === 'string')
  );
}

/** The digest a simple-signing payload signs, if it is one. */
function signedDigest(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'))?.critical?.image?.[
      'docker-manifest-digest'
    ];
  } catch {
    return undefined;
  }
}

describe('cosign signatures of any content', () => {
  it(
    'turn any `.sig` layer and payload into a candidate, or into a candidate with its problem',
    () => {
      fc.assert(
        fc.property(
          legacyLayer,
          simpleSigningPayload,
          fc.nat({ max: 5 }),
          (layer, payload, index) => {
            const candidate = legacyLayerToCandidate(
              layer as Descriptor,
              payload,
              IMAGE_DIGEST,
              ARTIFACT_DIGEST,
              index,
            );
            expect(isWellFormed(candidate)).toBe(true);
            // A signature is only ever over this image.
            expect(
              candidate.problem !== undefined ||
                signedDigest(payload) === IMAGE_DIGEST,
            ).toBe(true);
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'turn any referrer manifest and bundle into a candidate, a problem or an attestation',
    () => {
      fc.assert(
        fc.property(referrerManifest, bundleBytes, (manifest, bytes) => {
          expect([undefined, BUNDLE_V03_MEDIA_TYPE]).toContain(
            bundleLayer(manifest)?.mediaType,
          );
          const result = bundleToCandidate(manifest, bytes, IMAGE_DIGEST);
          const attestation = isAttestation(result);
          expect(
            attestation
              ? typeof result.predicateType === 'string'
              : isWellFormed(result),
          ).toBe(true);
          // A signature is only ever over this image.
          expect(
            attestation ||
              result.problem !== undefined ||
              manifest.manifest.subject?.digest === IMAGE_DIGEST,
          ).toBe(true);
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'read PEM blocks out of any text',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            anyString,
            base64.map(
              b64 =>
                `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----`,
            ),
          ),
          pem => {
            const der = pemToDer(pem, 'CERTIFICATE');
            expect(der === undefined || der.length > 0).toBe(true);
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );
});
