import { generateKeyPairSync } from 'node:crypto';
import {
  globToRegExp,
  keyAuthority,
  keylessAuthority,
  KUBERNETES_RELEASE,
  matchesKeyless,
  PolicyConfigError,
  policyForEntity,
  policyForImage,
  policyHash,
} from './policy';

const KREL = 'krel-trust@k8s-releng-prod.iam.gserviceaccount.com';
const GOOGLE = 'https://accounts.google.com';

describe('policy', () => {
  it('matches image globs by path segment', () => {
    expect(
      globToRegExp('registry.example.com/team/**').test(
        'registry.example.com/team/a/b',
      ),
    ).toBe(true);
    expect(
      globToRegExp('registry.example.com/team/*').test(
        'registry.example.com/team/a/b',
      ),
    ).toBe(false);
    expect(
      globToRegExp('registry.example.com/team/*').test(
        'registry.example.com/teamx/a',
      ),
    ).toBe(false);
    expect(
      globToRegExp('registry.k8s.io/**').test('registry.k8s.io.evil.com/x'),
    ).toBe(false);
  });

  it('matches keyless identities exactly, or by an anchored regex, with the exact issuer', () => {
    const [authority] = KUBERNETES_RELEASE.authorities;
    if (authority.type !== 'keyless') throw new Error('expected keyless');
    expect(matchesKeyless(authority, KREL, GOOGLE)).toBe(true);
    expect(matchesKeyless(authority, `evil-${KREL}`, GOOGLE)).toBe(false);
    expect(matchesKeyless(authority, `${KREL}.evil`, GOOGLE)).toBe(false);
    expect(matchesKeyless(authority, KREL, `${GOOGLE}/`)).toBe(false);
    expect(
      matchesKeyless(
        authority,
        'krel-trustXk8s-releng-prod.iam.gserviceaccount.com',
        GOOGLE,
      ),
    ).toBe(false);
    const regex = keylessAuthority({
      identityRegExp: 'https://github\\.com/org/.+',
      issuer: 'https://gh',
    });
    expect(
      matchesKeyless(
        regex,
        'https://github.com/org/repo/.github/workflows/r.yml@refs/heads/main',
        'https://gh',
      ),
    ).toBe(true);
    expect(
      matchesKeyless(
        regex,
        'https://evil.com/?https://github.com/org/x',
        'https://gh',
      ),
    ).toBe(false);
  });

  it('rejects bad authorities', () => {
    expect(() => keylessAuthority({ identity: 'a' })).toThrow(
      PolicyConfigError,
    );
    expect(() =>
      keylessAuthority({ identity: 'a', identityRegExp: 'b', issuer: 'i' }),
    ).toThrow(PolicyConfigError);
    expect(() =>
      keylessAuthority({ identityRegExp: '(', issuer: 'i' }),
    ).toThrow(PolicyConfigError);
    expect(() => keyAuthority('not a key')).toThrow(PolicyConfigError);
  });

  it('identifies keys by the SHA-256 of their SPKI', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(keyAuthority(pem).keyId).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(keyAuthority(pem).keyId).toBe(keyAuthority(pem).keyId);
  });

  it('selects a policy by image or by the entity annotation', () => {
    const team = {
      name: 'team',
      images: ['ghcr.io/org/**'],
      authorities: KUBERNETES_RELEASE.authorities,
      threshold: 1,
    };
    const set = { policies: [team, KUBERNETES_RELEASE] };
    expect(policyForImage(set, 'ghcr.io/org/app')?.name).toBe('team');
    expect(policyForImage(set, 'registry.k8s.io/kube-proxy')?.name).toBe(
      'kubernetes-release',
    );
    expect(policyForImage(set, 'docker.io/library/nginx')).toBeUndefined();
    expect(
      policyForEntity(set, { 'kubernetes-security.io/image-policy': 'team' })
        .policy?.name,
    ).toBe('team');
    expect(
      policyForEntity(set, { 'kubernetes-security.io/image-policy': 'nope' })
        .error,
    ).toContain('unknown policy "nope"');
    expect(policyForEntity(set, {})).toEqual({});
  });

  it('hashes what a policy accepts', () => {
    expect(policyHash(KUBERNETES_RELEASE)).toBe(
      policyHash({ ...KUBERNETES_RELEASE }),
    );
    expect(policyHash(KUBERNETES_RELEASE)).not.toBe(
      policyHash({ ...KUBERNETES_RELEASE, threshold: 2 }),
    );
    expect(policyHash(undefined)).not.toBe(policyHash(KUBERNETES_RELEASE));
  });
});
