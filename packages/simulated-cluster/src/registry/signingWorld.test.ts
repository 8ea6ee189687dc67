import { createHash, verify, X509Certificate } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { SigningWorld } from './signingWorld';

jest.setTimeout(30_000);

const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('SigningWorld', () => {
  it('issues Fulcio-like certificates chained to the trusted root, with email SAN and issuer', async () => {
    const world = await SigningWorld.create();
    const root = TrustedRoot.fromJSON(world.trustedRoot());
    expect(root.certificateAuthorities).toHaveLength(1);
    expect(root.tlogs).toHaveLength(1);
    expect(root.ctlogs).toHaveLength(1);
    const signature = await world.signLegacy(
      DIGEST,
      'registry.example.com/app',
      {
        keyless: {
          email: 'dev@example.com',
          issuer: 'https://issuer.example.com',
        },
      },
    );
    const leaf = new X509Certificate(
      signature.annotations['dev.sigstore.cosign/certificate'],
    );
    const ca = new X509Certificate(
      Buffer.from(
        root.certificateAuthorities[0].certChain!.certificates[0].rawBytes,
      ),
    );
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe('email:dev@example.com');
    expect(leaf.raw.includes(Buffer.from('https://issuer.example.com'))).toBe(
      true,
    );
    expect(
      verify(
        'sha256',
        signature.payload.bytes,
        leaf.publicKey,
        Buffer.from(
          signature.annotations['dev.cosignproject.cosign/signature'],
          'base64',
        ),
      ),
    ).toBe(true);
    const rekor = JSON.parse(
      signature.annotations['dev.sigstore.cosign/bundle'],
    );
    expect(rekor.Payload.logID).toBe(
      createHash('sha256')
        .update(Buffer.from(root.tlogs[0].publicKey!.rawBytes!))
        .digest('hex'),
    );
    expect(
      JSON.parse(signature.payload.bytes.toString()).critical.image[
        'docker-manifest-digest'
      ],
    ).toBe(DIGEST);
  });

  it('signs with a key, tampers and forges on request', async () => {
    const world = await SigningWorld.create();
    const key = SigningWorld.createKey();
    const signed = await world.signLegacy(
      DIGEST,
      'r/app',
      { key },
      { tlog: false },
    );
    expect(signed.annotations['dev.sigstore.cosign/bundle']).toBeUndefined();
    expect(
      verify(
        'sha256',
        signed.payload.bytes,
        key.publicKeyPem,
        Buffer.from(
          signed.annotations['dev.cosignproject.cosign/signature'],
          'base64',
        ),
      ),
    ).toBe(true);
    const tampered = await world.signLegacy(
      DIGEST,
      'r/app',
      { key },
      { tamper: true },
    );
    expect(
      verify(
        'sha256',
        tampered.payload.bytes,
        key.publicKeyPem,
        Buffer.from(
          tampered.annotations['dev.cosignproject.cosign/signature'],
          'base64',
        ),
      ),
    ).toBe(false);
    const forged = await world.signLegacy(
      DIGEST,
      'r/app',
      { key },
      { payloadDigest: `sha256:${'d'.repeat(64)}` },
    );
    expect(forged.payload.bytes.toString()).toContain('d'.repeat(64));
  });
});
