import { IMAGE_SIGNATURE_STATES } from '@internal/plugin-kubernetes-security-common';
import { cacheTtlFor } from './VerdictCache';

describe('cacheTtlFor', () => {
  it('keeps verdicts long, unsigned and unverifiable briefly, transient errors never', () => {
    const ttl = { verifiedMs: 7, unsignedMs: 1 };
    expect(
      Object.fromEntries(
        IMAGE_SIGNATURE_STATES.map(state => [state, cacheTtlFor(state, ttl)]),
      ),
    ).toEqual({
      verified: 7,
      'policy-mismatch': 7,
      'invalid-signature': 7,
      unsigned: 1,
      unverifiable: 1,
      'registry-auth-failed': undefined,
      'registry-unreachable': undefined,
      'registry-refused': undefined,
      'digest-unknown': undefined,
    });
  });
});
