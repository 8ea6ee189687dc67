// @sigstore/mock loads reflect-metadata, which @peculiar/x509 needs: keep it first.
import { initializeCTLog, initializeTLog } from '@sigstore/mock';
import {
  createHash,
  generateKeyPairSync,
  KeyObject,
  sign,
  webcrypto,
} from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import * as x509 from '@peculiar/x509';
import {
  HashAlgorithm,
  PublicKeyDetails,
  TrustedRoot,
} from '@sigstore/protobuf-specs';
import { derOctetString, derUtf8String } from './der';
import { content, descriptor, OCI_EMPTY, OCI_MANIFEST } from './oci';
import type { Artifact, Content } from './oci';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const SIMPLESIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
const REKOR_URL = 'https://rekor.fake-sigstore.test';
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

/** Who signs: a Fulcio-certified OIDC identity, or a key pair. */
export type Signer =
  | { keyless: { email?: string; uri?: string; issuer: string } }
  | { key: SigningKey };

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
}

/** One layer of a cosign `.sig` manifest: payload plus annotations. */
export interface LegacySignature {
  payload: Content;
  annotations: Record<string, string>;
}

export interface LegacySignOptions {
  /** What the payload claims to sign; defaults to `imageDigest` (set to forge a copied signature). */
  payloadDigest?: string;
  /** Change the payload after signing. */
  tamper?: boolean;
  /** Log to Rekor (default true); `rekord` writes the old entry kind. */
  tlog?: boolean;
  rekorKind?: 'hashedrekord' | 'rekord';
  /** Log to a Rekor the trusted root does not know. */
  unknownLog?: boolean;
}

interface TLog {
  publicKey: Buffer;
  log(entry: object): Promise<Record<string, RekorResponse>>;
}

interface RekorResponse {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: {
    signedEntryTimestamp: string;
    inclusionProof: {
      logIndex: number;
      treeSize: number;
      rootHash: string;
      hashes: string[];
      checkpoint: string;
    };
  };
}

/**
 * A complete fake sigstore: a Fulcio-like CA issuing short-lived code-signing
 * certificates (email or URI SAN, OIDC issuer extension, SCT from a CT log),
 * a Rekor that returns SETs and inclusion proofs, and the matching
 * `trusted_root.json`. Signs images exactly as cosign does, in the legacy
 * `.sig` format and as v0.3 bundles for the referrers API.
 */
export class SigningWorld {
  private constructor(
    private readonly ca: {
      keys: CryptoKeyPair;
      certificate: x509.X509Certificate;
    },
    private readonly ctLog: Awaited<ReturnType<typeof initializeCTLog>>,
    private readonly ctLogKey: KeyObject,
    private readonly tlog: TLog,
    private readonly unknownTlog: TLog,
  ) {}

  static async create(): Promise<SigningWorld> {
    const caKeys = (await webcrypto.subtle.generateKey(
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=sigstore,O=fake-sigstore.test',
      notBefore: new Date(now - 24 * 3600_000),
      notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
      signingAlgorithm: ECDSA_SHA256,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    const ctKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ctLog = await initializeCTLog(ctKeys);
    const tlog = (await initializeTLog(
      REKOR_URL,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    )) as unknown as TLog;
    const unknownTlog = (await initializeTLog(
      REKOR_URL,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    )) as unknown as TLog;
    return new SigningWorld(
      { keys: caKeys, certificate },
      ctLog,
      ctKeys.publicKey,
      tlog,
      unknownTlog,
    );
  }

  /** The `trusted_root.json` verifiers need for this world. */
  trustedRoot(): unknown {
    const start = new Date(Date.now() - 24 * 3600_000);
    const logKey = (publicKey: Buffer) => ({
      rawBytes: publicKey,
      keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
      validFor: { start },
    });
    const ctKey = this.ctLogKey.export({ type: 'spki', format: 'der' });
    return TrustedRoot.toJSON({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        {
          baseUrl: REKOR_URL,
          hashAlgorithm: HashAlgorithm.SHA2_256,
          publicKey: logKey(this.tlog.publicKey),
          logId: {
            keyId: createHash('sha256').update(this.tlog.publicKey).digest(),
          },
          checkpointKeyId: undefined,
          operator: 'fake-sigstore.test',
        },
      ],
      certificateAuthorities: [
        {
          subject: {
            organization: 'fake-sigstore.test',
            commonName: 'sigstore',
          },
          uri: 'https://fulcio.fake-sigstore.test',
          certChain: {
            certificates: [
              { rawBytes: Buffer.from(this.ca.certificate.rawData) },
            ],
          },
          validFor: { start },
          operator: 'fake-sigstore.test',
        },
      ],
      ctlogs: [
        {
          baseUrl: 'https://ctfe.fake-sigstore.test',
          hashAlgorithm: HashAlgorithm.SHA2_256,
          publicKey: logKey(ctKey),
          logId: { keyId: createHash('sha256').update(ctKey).digest() },
          checkpointKeyId: undefined,
          operator: 'fake-sigstore.test',
        },
      ],
      timestampAuthorities: [],
    });
  }

  async writeTrustedRoot(path: string): Promise<void> {
    await writeFile(path, JSON.stringify(this.trustedRoot(), null, 2));
  }

  static createKey(): SigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    });
    return {
      privateKey,
      publicKeyPem: publicKey
        .export({ type: 'spki', format: 'pem' })
        .toString(),
    };
  }

  /** Signs an image digest the way `cosign sign --tlog-upload` (v2) does. */
  async signLegacy(
    imageDigest: string,
    dockerReference: string,
    signer: Signer,
    options: LegacySignOptions = {},
  ): Promise<LegacySignature> {
    const signedPayload = Buffer.from(
      JSON.stringify({
        critical: {
          identity: { 'docker-reference': dockerReference },
          image: {
            'docker-manifest-digest': options.payloadDigest ?? imageDigest,
          },
          type: 'cosign container image signature',
        },
        optional: null,
      }),
    );
    const { privateKey, publicPem, certificatePem } = await this.keyFor(signer);
    const signature = sign('sha256', signedPayload, privateKey).toString(
      'base64',
    );
    const annotations: Record<string, string> = {
      'dev.cosignproject.cosign/signature': signature,
    };
    if (certificatePem) {
      annotations['dev.sigstore.cosign/certificate'] = certificatePem;
      annotations['dev.sigstore.cosign/chain'] = pem(
        Buffer.from(this.ca.certificate.rawData),
      );
    }
    if (options.tlog !== false) {
      const kind = options.rekorKind ?? 'hashedrekord';
      const hash = {
        algorithm: 'sha256',
        value: createHash('sha256').update(signedPayload).digest('hex'),
      };
      const keyContent = Buffer.from(certificatePem ?? publicPem).toString(
        'base64',
      );
      const entry =
        kind === 'hashedrekord'
          ? {
              apiVersion: '0.0.1',
              kind,
              spec: {
                data: { hash },
                signature: {
                  content: signature,
                  publicKey: { content: keyContent },
                },
              },
            }
          : {
              apiVersion: '0.0.1',
              kind,
              spec: {
                data: { hash },
                signature: {
                  format: 'x509',
                  content: signature,
                  publicKey: { content: keyContent },
                },
              },
            };
      const logged = await this.logEntry(entry, options.unknownLog);
      annotations['dev.sigstore.cosign/bundle'] = JSON.stringify({
        SignedEntryTimestamp: logged.verification.signedEntryTimestamp,
        Payload: {
          body: logged.body,
          integratedTime: logged.integratedTime,
          logIndex: logged.logIndex,
          logID: logged.logID,
        },
      });
    }
    const payload = options.tamper
      ? Buffer.from(
          signedPayload
            .toString()
            .replace('"optional":null', '"optional":{"tampered":true}'),
        )
      : signedPayload;
    return { payload: content(SIMPLESIGNING, payload), annotations };
  }

  /** The `sha256-<hex>.sig` manifest holding one or more legacy signatures. */
  static legacySignatureArtifact(signatures: LegacySignature[]): Artifact {
    const config = content(
      'application/vnd.oci.image.config.v1+json',
      JSON.stringify({
        architecture: '',
        created: '0001-01-01T00:00:00Z',
        os: '',
        rootfs: {
          type: 'layers',
          diff_ids: signatures.map(s => s.payload.digest),
        },
        config: {},
      }),
    );
    const manifest = content(
      OCI_MANIFEST,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: descriptor(config),
        layers: signatures.map(s =>
          descriptor(s.payload, { annotations: s.annotations }),
        ),
      }),
    );
    return { manifest, blobs: [config, ...signatures.map(s => s.payload)] };
  }

  /**
   * A sigstore v0.3 bundle over an in-toto statement about the image, in the
   * referrer manifest cosign v3 attaches. Another `predicateType` makes it
   * an attestation; `annotatePredicate: false` leaves it to the bundle.
   */
  async signBundle(
    image: Content,
    signer: Signer,
    options: { predicateType?: string; annotatePredicate?: boolean } = {},
  ): Promise<Artifact> {
    const predicateType = options.predicateType ?? COSIGN_SIGN_PREDICATE;
    const statement = Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [
          {
            name: '',
            digest: { sha256: image.digest.slice('sha256:'.length) },
          },
        ],
        predicateType,
        predicate: {},
      }),
    );
    const payloadType = 'application/vnd.in-toto+json';
    const pae = Buffer.concat([
      Buffer.from(
        `DSSEv1 ${payloadType.length} ${payloadType} ${statement.length} `,
      ),
      statement,
    ]);
    const { privateKey, publicPem, certificatePem, certificateDer } =
      await this.keyFor(signer);
    const signature = sign('sha256', pae, privateKey).toString('base64');
    const envelope = {
      payload: statement.toString('base64'),
      payloadType,
      signatures: [{ sig: signature, keyid: '' }],
    };
    const logged = await this.logEntry({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: {
          algorithm: 'sha256',
          value: createHash('sha256')
            .update(JSON.stringify(envelope))
            .digest('hex'),
        },
        payloadHash: {
          algorithm: 'sha256',
          value: createHash('sha256').update(statement).digest('hex'),
        },
        signatures: [
          {
            signature,
            verifier: Buffer.from(certificatePem ?? publicPem).toString(
              'base64',
            ),
          },
        ],
      },
    });
    const proof = logged.verification.inclusionProof;
    const bundle = {
      mediaType: BUNDLE_V03,
      verificationMaterial: {
        ...(certificateDer
          ? { certificate: { rawBytes: certificateDer.toString('base64') } }
          : { publicKey: { hint: '' } }),
        tlogEntries: [
          {
            logIndex: String(logged.logIndex),
            logId: {
              keyId: Buffer.from(logged.logID, 'hex').toString('base64'),
            },
            kindVersion: { kind: 'dsse', version: '0.0.1' },
            integratedTime: String(logged.integratedTime),
            inclusionPromise: {
              signedEntryTimestamp: logged.verification.signedEntryTimestamp,
            },
            inclusionProof: {
              logIndex: String(proof.logIndex),
              rootHash: Buffer.from(proof.rootHash, 'hex').toString('base64'),
              treeSize: String(proof.treeSize),
              hashes: proof.hashes,
              checkpoint: { envelope: proof.checkpoint },
            },
            canonicalizedBody: logged.body,
          },
        ],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      dsseEnvelope: envelope,
    };
    const layer = content(BUNDLE_V03, JSON.stringify(bundle));
    const empty = content(OCI_EMPTY, '{}');
    const manifest = content(
      OCI_MANIFEST,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: BUNDLE_V03,
        config: descriptor(empty),
        layers: [descriptor(layer)],
        subject: descriptor(image),
        annotations: {
          'dev.sigstore.bundle.content': 'dsse-envelope',
          ...(options.annotatePredicate === false
            ? {}
            : { 'dev.sigstore.bundle.predicateType': predicateType }),
        },
      }),
    );
    return { manifest, blobs: [empty, layer] };
  }

  private async logEntry(
    entry: object,
    unknownLog = false,
  ): Promise<RekorResponse> {
    const response = await (unknownLog ? this.unknownTlog : this.tlog).log(
      entry,
    );
    return Object.values(response)[0];
  }

  private async keyFor(signer: Signer): Promise<{
    privateKey: KeyObject;
    publicPem: string;
    certificatePem?: string;
    certificateDer?: Buffer;
  }> {
    if ('key' in signer)
      return {
        privateKey: signer.key.privateKey,
        publicPem: signer.key.publicKeyPem,
      };
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    });
    const certificateDer = await this.issueCertificate(
      publicKey,
      signer.keyless,
    );
    return {
      privateKey,
      publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      certificatePem: pem(certificateDer),
      certificateDer,
    };
  }

  /** Fulcio's certificate: 10 minutes, code signing, SAN, issuer extensions, SCT. */
  private async issueCertificate(
    publicKey: KeyObject,
    identity: { email?: string; uri?: string; issuer: string },
  ): Promise<Buffer> {
    const key = (await webcrypto.subtle.importKey(
      'spki',
      publicKey.export({ type: 'spki', format: 'der' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['verify'],
    )) as unknown as CryptoKey;
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const params = {
      serialNumber: createHash('sha256')
        .update(String(Math.random()))
        .digest('hex')
        .slice(0, 16),
      subject: '',
      issuer: this.ca.certificate.subject,
      notBefore: now,
      notAfter: new Date(now.getTime() + 10 * 60_000),
      signingAlgorithm: ECDSA_SHA256,
      publicKey: key,
      signingKey: this.ca.keys.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        new x509.SubjectAlternativeNameExtension(
          identity.email
            ? [{ type: 'email', value: identity.email }]
            : [{ type: 'url', value: identity.uri! }],
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(key),
        await x509.AuthorityKeyIdentifierExtension.create(
          this.ca.keys.publicKey,
        ),
        new x509.Extension(OID_ISSUER_V1, false, Buffer.from(identity.issuer)),
        new x509.Extension(
          OID_ISSUER_V2,
          false,
          derUtf8String(identity.issuer),
        ),
      ],
    };
    // Certificate Transparency: the log signs the certificate without the
    // SCT extension, which is then added (as Fulcio does with a precert).
    const precert = await x509.X509CertificateGenerator.create(params);
    const issuerId = await webcrypto.subtle.digest(
      'SHA-256',
      await webcrypto.subtle.exportKey('spki', this.ca.keys.publicKey),
    );
    const sct = Buffer.from(await this.ctLog.log(precert.rawData, issuerId));
    const sctList = Buffer.concat([Buffer.from([0x00, sct.length]), sct]);
    const certificate = await x509.X509CertificateGenerator.create({
      ...params,
      extensions: [
        ...params.extensions,
        new x509.Extension(OID_SCT_LIST, false, derOctetString(sctList)),
      ],
    });
    return Buffer.from(certificate.rawData);
  }
}

function pem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join(
    '\n',
  )}\n-----END CERTIFICATE-----\n`;
}
