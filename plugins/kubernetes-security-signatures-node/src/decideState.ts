import type { ImageSignatureState } from '@internal/plugin-kubernetes-security-common';
import type { SignaturePolicy } from './policy';
import type { RegistryError } from './registry/RegistryError';
import type { CandidateResult } from './verifyCandidate';

export interface StateInput {
  results: CandidateResult[];
  policy?: SignaturePolicy;
  /** Lookups that failed; what was found may be incomplete. */
  errors: RegistryError[];
  /** Bundles seen that are attestations, not signatures. */
  attestations: number;
}

/**
 * The image's state from its signatures' outcomes. Order matters: a policy
 * met by what could be read is `verified` even if some lookup failed; no
 * signature is only `unsigned` when every lookup succeeded.
 */
export function decideState({
  results,
  policy,
  errors,
  attestations,
}: StateInput): {
  state: ImageSignatureState;
  reason: string;
} {
  const accepted = new Set(
    results
      .filter(r => r.outcome === 'accepted' && r.signer)
      .map(r => r.signer!),
  );
  const threshold = policy?.threshold ?? 1;
  if (policy && accepted.size >= threshold) {
    const names = results
      .filter(r => r.outcome === 'accepted')
      .map(r => r.signature.identity ?? r.signature.keyId);
    return {
      state: 'verified',
      reason: `Signed by ${[...new Set(names)].join(', ')}, as policy "${
        policy.name
      }" requires.`,
    };
  }
  if (errors.length) {
    // A refusal by our own settings is what the operator must change first.
    const first =
      errors.find(e => registryErrorState(e) === 'registry-refused') ??
      errors.find(e => e.kind === 'auth') ??
      errors[0];
    return {
      state: registryErrorState(first) ?? 'registry-unreachable',
      reason: `Signatures could not be read: ${first.message}.`,
    };
  }
  if (!results.length)
    return {
      state: 'unsigned',
      reason: `No cosign signature was found for this digest (no .sig tag and no signature bundle)${
        attestations
          ? `; ${attestations} attestation(s) are attached, which are not signatures`
          : ''
      }.`,
    };
  const first = (outcome: CandidateResult['outcome']) =>
    results.find(r => r.outcome === outcome)?.signature.reason;
  const unmatched = first('unmatched');
  if (!policy && unmatched) {
    const signers = results
      .filter(r => r.outcome === 'unmatched')
      .map(r => r.signature.identity ?? r.signature.keyId ?? 'a key');
    return {
      state: 'unverifiable',
      reason: `Signed by ${[...new Set(signers)].join(
        ', ',
      )}, but no signature policy covers this image; add one under kubernetesSecurity.signatures.policies.`,
    };
  }
  const unverifiable = first('unverifiable');
  if (unverifiable)
    return {
      state: 'unverifiable',
      reason: `A signature could not be checked: ${unverifiable}.`,
    };
  if (accepted.size)
    return {
      state: 'policy-mismatch',
      reason: `Only ${
        accepted.size
      } distinct trusted signer(s) of the ${threshold} policy "${
        policy!.name
      }" requires.`,
    };
  if (unmatched)
    return { state: 'policy-mismatch', reason: `The image is ${unmatched}.` };
  return {
    state: 'invalid-signature',
    reason: `No signature verifies: ${first('invalid') ?? 'unknown error'}.`,
  };
}

/**
 * The "could not check" state a registry failure stands for; `undefined`
 * when the registry did answer (not found, invalid content).
 */
export function registryErrorState(
  error: RegistryError,
): ImageSignatureState | undefined {
  switch (error.kind) {
    case 'refused':
    case 'too-large':
      return 'registry-refused';
    case 'auth':
      return 'registry-auth-failed';
    case 'unreachable':
      return 'registry-unreachable';
    default:
      return undefined;
  }
}
