import { generateKeyPairSync } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { readSignatureSettings } from './config';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

function read(signatures: any) {
  return readSignatureSettings(
    new ConfigReader({ kubernetesSecurity: { signatures } }),
  );
}

describe('readSignatureSettings', () => {
  it('has safe defaults and the built-in kubernetes-release policy', () => {
    const settings = readSignatureSettings(new ConfigReader({}));
    expect(settings.enabled).toBe(true);
    expect(settings.usePullSecrets).toBe(false);
    expect(settings.policies.policies.map(p => p.name)).toEqual([
      'kubernetes-release',
    ]);
    expect(settings.cacheTtl).toEqual({
      verifiedMs: 7 * 86_400_000,
      unsignedMs: 3_600_000,
    });
  });

  it('reads policies, registries, trust and cache durations', () => {
    const settings = read({
      policies: [
        {
          name: 'team',
          images: ['registry.example.com/team/**'],
          threshold: 2,
          authorities: [
            {
              keyless: {
                identity: 'ci@example.com',
                issuer: 'https://token.actions.githubusercontent.com',
              },
            },
            { key: { publicKey: pem, ignoreTlog: true } },
          ],
        },
      ],
      registries: [
        { host: 'https://index.docker.io/v1/', username: 'u', password: 'p' },
        { host: 'registry.k8s.io', mirror: 'http://127.0.0.1:5000' },
        { host: 'internal:5000', insecure: true },
      ],
      trust: { trustedRootFiles: ['/etc/sigstore/trusted_root.json'] },
      cache: { verified: { days: 1 }, unsigned: { minutes: 10 } },
      usePullSecrets: true,
    });
    const [team, release] = settings.policies.policies;
    expect(team).toMatchObject({ name: 'team', threshold: 2 });
    expect(team.authorities.map(a => a.type)).toEqual(['keyless', 'key']);
    expect(release.name).toBe('kubernetes-release');
    expect(settings.registry.credentials?.get('docker.io')).toEqual({
      username: 'u',
      password: 'p',
    });
    expect(settings.registry.endpoints?.get('registry.k8s.io')).toBe(
      'http://127.0.0.1:5000',
    );
    expect(settings.registry.insecureHosts).toEqual(['internal:5000']);
    expect(settings.trust.trustedRootFiles).toEqual([
      '/etc/sigstore/trusted_root.json',
    ]);
    expect(settings.cacheTtl).toEqual({
      verifiedMs: 86_400_000,
      unsignedMs: 600_000,
    });
    expect(settings.usePullSecrets).toBe(true);
  });

  it('reads registry access, refusing loopback and link-local unless allowed', () => {
    expect(readSignatureSettings(new ConfigReader({})).registry).toMatchObject({
      access: { allowLoopback: undefined, allowLinkLocal: undefined },
      maxManifestBytes: undefined,
      maxBlobBytes: undefined,
    });
    const settings = read({
      registryAccess: {
        allowHosts: ['*.example.com', '10.20.0.0/16'],
        denyHosts: ['bad.example.com'],
        allowLoopback: true,
        allowLinkLocal: false,
        allowTokenRealmHosts: ['auth.example.com'],
        maxManifestBytes: 1_048_576,
        maxBlobBytes: 65_536,
      },
    });
    expect(settings.registry).toMatchObject({
      access: {
        allowHosts: ['*.example.com', '10.20.0.0/16'],
        denyHosts: ['bad.example.com'],
        allowLoopback: true,
        allowLinkLocal: false,
        allowTokenRealmHosts: ['auth.example.com'],
      },
      maxManifestBytes: 1_048_576,
      maxBlobBytes: 65_536,
    });
    expect(() =>
      read({ registryAccess: { allowHosts: ['registry.example.com:5000'] } }),
    ).toThrow(
      'kubernetesSecurity.signatures.registryAccess.allowHosts[0]: "registry.example.com:5000" is not a host name',
    );
    expect(() => read({ registryAccess: { maxBlobBytes: 0 } })).toThrow(
      'kubernetesSecurity.signatures.registryAccess.maxBlobBytes must be a positive integer',
    );
  });

  it('names the bad entry of an invalid policy', () => {
    expect(() =>
      read({
        policies: [
          {
            name: 'x',
            images: ['**'],
            authorities: [{ keyless: { identity: 'a' } }],
          },
        ],
      }),
    ).toThrow(
      'signature policy "x" (policies[0]), authorities[0]: a keyless authority needs an issuer',
    );
    expect(() =>
      read({
        policies: [
          {
            name: 'x',
            images: ['**'],
            authorities: [{ key: { publicKey: 'junk' } }],
          },
        ],
      }),
    ).toThrow(/not a PEM public key/);
    expect(() =>
      read({ policies: [{ name: 'x', images: ['**'], authorities: [] }] }),
    ).toThrow(/no authorities/);
  });
});
