import type { KeyObject } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import type { SerializedBundle } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import type { TrustMaterial } from '@sigstore/verify';
import type { ImageSignature } from '@internal/plugin-kubernetes-security-common';
import type { SignatureCandidate } from './cosign/candidate';
import { describeAuthority, keyIdOf, matchesKeyless } from './policy';
import type { KeyAuthority, SignaturePolicy } from './policy';
import {
  CHECKABLE_REKOR_KINDS,
  rekorBodyMatchesKey,
  rekorBodyPublicKey,
} from './rekorBody';
import type { TrustResult } from './trust';
import { isTrustError } from './trust';

/**
 * - `accepted`: verified and matches an authority of the policy;
 * - `unmatched`: verified (or signed with a key the policy does not list) but no authority matches;
 * - `invalid`: the cryptography failed;
 * - `unverifiable`: it could not be checked here (no trust material, unsupported Rekor kind).
 */
export type CandidateOutcome =
  | 'accepted'
  | 'unmatched'
  | 'invalid'
  | 'unverifiable';

export interface CandidateResult {
  outcome: CandidateOutcome;
  signature: ImageSignature;
  /** Who signed, for counting distinct signers: `keyless:<san>|<issuer>` or `key:<id>`. */
  signer?: string;
}

const EMPTY_TRUST = toTrustMaterial({
  mediaType: '',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
});

export function verifyCandidate(
  candidate: SignatureCandidate,
  trust: TrustResult,
  policy: SignaturePolicy | undefined,
): CandidateResult {
  const signature: ImageSignature = {
    format: candidate.format,
    artifactDigest: candidate.artifactDigest,
    accepted: false,
  };
  const done = (
    outcome: CandidateOutcome,
    reason?: string,
    signer?: string,
  ): CandidateResult => ({
    outcome,
    signature: {
      ...signature,
      accepted: outcome === 'accepted',
      ...(reason ? { reason } : {}),
    },
    ...(signer ? { signer } : {}),
  });
  if (candidate.problem || !candidate.bundle)
    return done('invalid', candidate.problem ?? 'no signature material');

  const entries = candidate.bundle.verificationMaterial?.tlogEntries ?? [];
  const [entry] = entries;
  if (entry) {
    if (/^\d+$/.test(entry.logIndex))
      signature.logIndex = Number(entry.logIndex);
    const seconds = Number(entry.integratedTime);
    if (Number.isSafeInteger(seconds) && seconds > 0)
      signature.integratedTime = new Date(seconds * 1000).toISOString();
  }
  const unchecked = entries.find(
    e => !CHECKABLE_REKOR_KINDS.has(e.kindVersion?.kind ?? ''),
  );
  if (unchecked)
    return done(
      'unverifiable',
      `its Rekor entry is of kind "${unchecked.kindVersion?.kind}", which this verifier cannot check`,
    );

  return candidate.keyed
    ? verifyKeyed(candidate, trust, policy, signature, done)
    : verifyKeyless(candidate, trust, policy, signature, done);
}

type Done = (
  outcome: CandidateOutcome,
  reason?: string,
  signer?: string,
) => CandidateResult;

function verifyKeyless(
  candidate: SignatureCandidate,
  trust: TrustResult,
  policy: SignaturePolicy | undefined,
  signature: ImageSignature,
  done: Done,
): CandidateResult {
  if (isTrustError(trust)) return done('unverifiable', trust.error);
  let key: KeyObject;
  let identity: string | undefined;
  let issuer: string | undefined;
  try {
    const signer = new Verifier(trust.material, {
      tlogThreshold: 1,
      ctlogThreshold: 1,
      timestampThreshold: 1,
    }).verify(
      toSignedEntity(bundleFromJSON(candidate.bundle), candidate.payload),
    );
    key = signer.key;
    identity = signer.identity?.subjectAlternativeName;
    issuer = signer.identity?.extensions?.issuer;
  } catch (error) {
    return done('invalid', describeVerifyError(error));
  }
  signature.identity = identity;
  signature.issuer = issuer;
  const signer = `keyless:${identity}|${issuer}`;
  if (!rekorEntriesNameKey(candidate.bundle!, key))
    return done(
      'invalid',
      'its Rekor entry was made for another key than the certificate’s',
    );
  if (!policy)
    return done('unmatched', 'no signature policy covers this image', signer);
  const keyless = policy.authorities.filter(a => a.type === 'keyless');
  if (
    keyless.some(
      a => a.type === 'keyless' && matchesKeyless(a, identity, issuer),
    )
  )
    return done('accepted', undefined, signer);
  return done(
    'unmatched',
    `signed by ${identity ?? 'an unnamed identity'} (issuer ${
      issuer ?? 'unknown'
    }), which policy "${policy.name}" does not trust${
      keyless.length
        ? `; it expects ${keyless.map(describeAuthority).join(' or ')}`
        : ''
    }`,
    signer,
  );
}

function verifyKeyed(
  candidate: SignatureCandidate,
  trust: TrustResult,
  policy: SignaturePolicy | undefined,
  signature: ImageSignature,
  done: Done,
): CandidateResult {
  const entries = candidate.bundle!.verificationMaterial?.tlogEntries ?? [];
  const loggedKey =
    entries[0] && rekorBodyPublicKey(entries[0].canonicalizedBody);
  if (loggedKey) signature.keyId = keyIdOf(loggedKey);
  const authorities = (policy?.authorities ?? []).filter(
    (a): a is KeyAuthority => a.type === 'key',
  );
  if (!authorities.length)
    return done(
      'unmatched',
      policy
        ? `signed with a key, and policy "${policy.name}" trusts no keys`
        : 'signed with a key, and no signature policy covers this image',
      signature.keyId && `key:${signature.keyId}`,
    );
  if (entries.length && isTrustError(trust))
    return done('unverifiable', trust.error);
  const failures: string[] = [];
  for (const authority of authorities) {
    if (!entries.length && !authority.ignoreTlog) {
      failures.push(
        `key ${authority.keyId} requires a transparency-log entry and there is none`,
      );
      continue;
    }
    const material: TrustMaterial = {
      ...(isTrustError(trust) ? EMPTY_TRUST : trust.material),
      publicKey: () => ({
        publicKey: authority.publicKey,
        validFor: () => true,
      }),
    };
    const bundle = withKeyHint(candidate.bundle!, authority.keyId);
    try {
      new Verifier(material, {
        tlogThreshold: entries.length ? 1 : 0,
        ctlogThreshold: 0,
        timestampThreshold: entries.length ? 1 : 0,
      }).verify(toSignedEntity(bundleFromJSON(bundle), candidate.payload));
    } catch (error) {
      failures.push(`key ${authority.keyId}: ${describeVerifyError(error)}`);
      continue;
    }
    if (!rekorEntriesNameKey(bundle, authority.publicKey))
      return done('invalid', 'its Rekor entry was made for another key');
    signature.keyId = authority.keyId;
    return done('accepted', undefined, `key:${authority.keyId}`);
  }
  // A Rekor entry naming one of the policy's keys that then fails is a bad
  // signature; otherwise it is simply someone else's key.
  const claimed =
    signature.keyId && authorities.some(a => a.keyId === signature.keyId);
  return done(
    claimed ? 'invalid' : 'unmatched',
    claimed
      ? failures.join('; ')
      : `signed with a key that policy "${
          policy!.name
        }" does not list (${failures.join('; ')})`,
    signature.keyId && `key:${signature.keyId}`,
  );
}

function rekorEntriesNameKey(
  bundle: SerializedBundle,
  key: KeyObject,
): boolean {
  return (bundle.verificationMaterial?.tlogEntries ?? []).every(entry =>
    rekorBodyMatchesKey(entry.canonicalizedBody, key),
  );
}

function withKeyHint(bundle: SerializedBundle, hint: string): SerializedBundle {
  const material = bundle.verificationMaterial as Record<string, unknown>;
  const { publicKey: _previous, ...rest } = material;
  return {
    ...bundle,
    verificationMaterial: { ...rest, publicKey: { hint } },
  } as SerializedBundle;
}

function describeVerifyError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return `${error.message}${detail}`.slice(0, 300);
}
