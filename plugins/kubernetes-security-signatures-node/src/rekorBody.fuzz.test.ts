import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  anyString,
  fuzzParameters,
  fuzzTimeout,
  hostileValue,
  sometimesAnyValue,
} from '@internal/plugin-kubernetes-security-common/testUtils';
import { rekorBodyMatchesKey, rekorBodyPublicKey } from './rekorBody';

const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const encodedPem = (key: typeof signer) =>
  Buffer.from(key.export({ type: 'spki', format: 'pem' }) as string).toString(
    'base64',
  );

/** A key as a Rekor body writes it: base64 PEM of the signer, another key, or anything. */
const encodedKey = sometimesAnyValue(
  fc.oneof(
    fc.constant(encodedPem(signer)),
    fc.constant(encodedPem(other)),
    anyString.map(text => Buffer.from(text).toString('base64')),
  ),
);

/** The three entry kinds, each mostly well-formed, any field sometimes anything. */
const body = fc.oneof(
  fc.record({
    kind: sometimesAnyValue(fc.constant('hashedrekord')),
    apiVersion: fc.constant('0.0.1'),
    spec: sometimesAnyValue(
      fc.record({
        signature: sometimesAnyValue(
          fc.record({
            content: anyString,
            publicKey: sometimesAnyValue(fc.record({ content: encodedKey })),
          }),
        ),
      }),
    ),
  }),
  fc.record({
    kind: sometimesAnyValue(fc.constant('dsse')),
    apiVersion: fc.constant('0.0.1'),
    spec: sometimesAnyValue(
      fc.record({
        signatures: sometimesAnyValue(
          fc.array(sometimesAnyValue(fc.record({ verifier: encodedKey })), {
            maxLength: 3,
          }),
        ),
      }),
    ),
  }),
  fc.record({
    kind: sometimesAnyValue(fc.constant('intoto')),
    apiVersion: fc.constant('0.0.2'),
    spec: sometimesAnyValue(
      fc.record({
        content: sometimesAnyValue(
          fc.record({
            envelope: sometimesAnyValue(
              fc.record({
                signatures: sometimesAnyValue(
                  fc.array(
                    sometimesAnyValue(fc.record({ publicKey: encodedKey })),
                    { maxLength: 3 },
                  ),
                ),
              }),
            ),
          }),
        ),
      }),
    ),
  }),
  hostileValue,
);

/** `canonicalizedBody` as found in a bundle: base64 of JSON, or of anything. */
const canonicalizedBody = fc.oneof(
  {
    arbitrary: body.map(b => Buffer.from(JSON.stringify(b)).toString('base64')),
    weight: 4,
  },
  { arbitrary: anyString, weight: 1 },
);

describe('Rekor entry bodies of any content', () => {
  it(
    'match a key only when every key they name is that key, and never throw',
    () => {
      fc.assert(
        fc.property(canonicalizedBody, encoded => {
          const matches = rekorBodyMatchesKey(encoded, signer);
          expect(typeof matches).toBe('boolean');
          const named = rekorBodyPublicKey(encoded);
          // the key a matching body names is the signer's, and no other key matches it too
          expect(!matches || !named || named.equals(signer)).toBe(true);
          expect(matches && rekorBodyMatchesKey(encoded, other)).toBe(false);
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );
});
