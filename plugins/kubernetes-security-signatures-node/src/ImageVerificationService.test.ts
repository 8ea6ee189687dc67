import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildImage,
  buildIndex,
  content,
  DEMO_IDENTITY_REGEXP,
  DEMO_ISSUER,
  publishBundle,
  publishLegacySignatures,
  pushArtifact,
  pushManifest,
  SigningWorld,
  startDemoRegistry,
  startOciRegistry,
} from '@internal/simulated-cluster';
import type { OciRegistry, Signer } from '@internal/simulated-cluster';
import { ImageVerificationService } from './ImageVerificationService';
import { keyAuthority, keylessAuthority, KUBERNETES_RELEASE } from './policy';
import type { SignaturePolicy } from './policy';
import { RegistryClient } from './registry/RegistryClient';
import { TrustProvider } from './trust';

jest.setTimeout(60_000);

/** The test registries listen on 127.0.0.1, refused by default. */
const LOCAL = { access: { allowLoopback: true } };

const ISSUER = 'https://issuer.example.com';
const DEV: Signer = { keyless: { email: 'dev@example.com', issuer: ISSUER } };
const CI: Signer = { keyless: { email: 'ci@example.com', issuer: ISSUER } };
const KREL = 'krel-trust@k8s-releng-prod.iam.gserviceaccount.com';

let world: SigningWorld;
let registry: OciRegistry;
let trustedRoot: string;

beforeAll(async () => {
  world = await SigningWorld.create();
  registry = await startOciRegistry();
  const dir = await mkdtemp(join(tmpdir(), 'sig-test-'));
  trustedRoot = join(dir, 'trusted_root.json');
  await world.writeTrustedRoot(trustedRoot);
});
afterAll(() => registry.stop());

function policy(
  authorities: SignaturePolicy['authorities'],
  threshold = 1,
): SignaturePolicy {
  return {
    name: 'team',
    images: [`${registry.host}/**`],
    authorities,
    threshold,
  };
}
const dev = keylessAuthority({ identity: 'dev@example.com', issuer: ISSUER });
const ci = keylessAuthority({ identity: 'ci@example.com', issuer: ISSUER });

function service(policies: SignaturePolicy[], rootFiles = [trustedRoot]) {
  return new ImageVerificationService({
    client: new RegistryClient({
      ...LOCAL,
      maxRetryAfterMs: 50,
    }),
    trust: new TrustProvider({ trustedRootFiles: rootFiles }),
    policies: { policies },
  });
}

let counter = 0;
/** A fresh image in its own repository; returns its reference with digest. */
async function image(): Promise<{
  repository: string;
  digest: string;
  ref: string;
  manifest: any;
}> {
  const repository = `team/app${++counter}`;
  const artifact = buildImage(repository);
  await pushArtifact(registry.url, repository, artifact, 'v1');
  return {
    repository,
    digest: artifact.manifest.digest,
    ref: `${registry.host}/${repository}@${artifact.manifest.digest}`,
    manifest: artifact.manifest,
  };
}

async function signLegacy(
  img: { repository: string; digest: string },
  signers: Signer[],
  options = {},
) {
  const signatures = [];
  for (const signer of signers)
    signatures.push(
      await world.signLegacy(
        img.digest,
        `${registry.host}/${img.repository}`,
        signer,
        options,
      ),
    );
  await publishLegacySignatures(
    registry.url,
    img.repository,
    img.digest,
    signatures,
  );
}

async function verify(ref: string, policies: SignaturePolicy[], extra = {}) {
  const [result] = await service(policies).verifyAll([
    { image: ref, ...extra },
  ]);
  return result;
}

describe('ImageVerificationService', () => {
  it('verifies a keyless legacy signature and reports who signed', async () => {
    const img = await image();
    await signLegacy(img, [DEV]);
    const result = await verify(img.ref, [policy([dev])]);
    expect(result).toMatchObject({
      state: 'verified',
      digest: img.digest,
      digestSource: 'reference',
      policy: 'team',
    });
    expect(result.signatures).toEqual([
      expect.objectContaining({
        format: 'legacy',
        identity: 'dev@example.com',
        issuer: ISSUER,
        accepted: true,
        logIndex: expect.any(Number),
      }),
    ]);
  });

  it.each([true, false])(
    'verifies a v0.3 bundle (referrers API %p)',
    async referrersApi => {
      const img = await image();
      registry.setReferrersApi(referrersApi);
      try {
        await publishBundle(
          registry.url,
          img.repository,
          img.digest,
          await world.signBundle(img.manifest, CI),
          { referrersApi },
        );
        const result = await verify(img.ref, [policy([ci])]);
        expect(result.state).toBe('verified');
        expect(result.signatures[0]).toMatchObject({
          format: 'bundle',
          identity: 'ci@example.com',
          accepted: true,
        });
      } finally {
        registry.setReferrersApi(true);
      }
    },
  );

  it('distinguishes unsigned from a registry failure', async () => {
    const img = await image();
    expect((await verify(img.ref, [policy([dev])])).state).toBe('unsigned');
    registry.inject({
      path: new RegExp(`${img.repository}/manifests/sha256-`),
      status: 500,
      times: 1,
    });
    expect((await verify(img.ref, [policy([dev])])).state).toBe(
      'registry-unreachable',
    );
    registry.inject({
      path: new RegExp(`${img.repository}/referrers/`),
      status: 403,
      times: 1,
    });
    expect((await verify(img.ref, [policy([dev])])).state).toBe(
      'registry-auth-failed',
    );
  });

  it('gives registry-refused, not unreachable or unsigned, when the access settings forbid a request', async () => {
    const img = await image();
    await signLegacy(img, [DEV]);
    const verifyWith = async (client: RegistryClient, ref: string) => {
      const [result] = await new ImageVerificationService({
        client,
        trust: new TrustProvider({ trustedRootFiles: [trustedRoot] }),
        policies: { policies: [policy([dev])] },
      }).verifyAll([{ image: ref }]);
      return result;
    };
    const before = registry.requests.length;
    // By default a registry on a loopback address is not contacted at all,
    // whether the digest is known or the tag must be resolved.
    for (const ref of [img.ref, `${registry.host}/${img.repository}:v1`])
      expect(await verifyWith(new RegistryClient(), ref)).toMatchObject({
        state: 'registry-refused',
        reason: expect.stringContaining(
          `${registry.host.split(':')[0]} is a loopback address`,
        ),
      });
    expect(registry.requests.length).toBe(before);
    expect(
      await verifyWith(
        new RegistryClient({ ...LOCAL, maxManifestBytes: 64 }),
        img.ref,
      ),
    ).toMatchObject({
      state: 'registry-refused',
      reason: expect.stringMatching(
        /(exceeds|over) the 64-byte limit \(kubernetesSecurity\.signatures\.registryAccess\.maxManifestBytes\)/,
      ),
    });
  });

  it('rejects another identity, another issuer and SAN substring attacks', async () => {
    const img = await image();
    await signLegacy(img, [
      { keyless: { email: 'mallory@example.com', issuer: ISSUER } },
    ]);
    const wrongIdentity = await verify(img.ref, [policy([dev])]);
    expect(wrongIdentity.state).toBe('policy-mismatch');
    expect(wrongIdentity.reason).toContain('mallory@example.com');

    const issuer = await image();
    await signLegacy(issuer, [
      {
        keyless: {
          email: 'dev@example.com',
          issuer: 'https://evil.example.com',
        },
      },
    ]);
    expect((await verify(issuer.ref, [policy([dev])])).state).toBe(
      'policy-mismatch',
    );

    for (const email of [`evil-${KREL}`, `${KREL}.evil.com`]) {
      const attack = await image();
      await signLegacy(attack, [
        { keyless: { email, issuer: 'https://accounts.google.com' } },
      ]);
      const result = await verify(attack.ref, [
        { ...KUBERNETES_RELEASE, images: ['**'] },
      ]);
      expect(result.state).toBe('policy-mismatch');
    }
    const regex = await image();
    await signLegacy(regex, [
      { keyless: { email: 'dev@example.com.evil.com', issuer: ISSUER } },
    ]);
    const anchoredRegex = keylessAuthority({
      identityRegExp: '.*@example\\.com',
      issuer: ISSUER,
    });
    expect((await verify(regex.ref, [policy([anchoredRegex])])).state).toBe(
      'policy-mismatch',
    );
  });

  it('rejects a signature for another image, a tampered payload and a SET from an unknown log', async () => {
    const other = await image();
    const copied = await image();
    await signLegacy(copied, [DEV], { payloadDigest: other.digest });
    const result = await verify(copied.ref, [policy([dev])]);
    expect(result.state).toBe('invalid-signature');
    expect(result.reason).toContain(other.digest);

    const tampered = await image();
    await signLegacy(tampered, [DEV], { tamper: true });
    expect((await verify(tampered.ref, [policy([dev])])).state).toBe(
      'invalid-signature',
    );

    const unknownLog = await image();
    await signLegacy(unknownLog, [DEV], { unknownLog: true });
    const logged = await verify(unknownLog.ref, [policy([dev])]);
    expect(logged.state).toBe('invalid-signature');
    expect(logged.reason).toMatch(/inclusion promise|tlog|log/i);
  });

  it('counts distinct signers towards a threshold', async () => {
    const duplicate = await image();
    await signLegacy(duplicate, [DEV, DEV]);
    await publishBundle(
      registry.url,
      duplicate.repository,
      duplicate.digest,
      await world.signBundle(duplicate.manifest, DEV),
      { referrersApi: true },
    );
    const once = await verify(duplicate.ref, [policy([dev, ci], 2)]);
    expect(once.signatures).toHaveLength(3);
    expect(once.state).toBe('policy-mismatch');
    expect(once.reason).toContain('Only 1 distinct');

    const two = await image();
    await signLegacy(two, [DEV, CI]);
    expect((await verify(two.ref, [policy([dev, ci], 2)])).state).toBe(
      'verified',
    );
  });

  it('does not count an attestation as a signature', async () => {
    const both = await image();
    await signLegacy(both, [DEV]);
    await publishBundle(
      registry.url,
      both.repository,
      both.digest,
      await world.signBundle(both.manifest, CI, {
        predicateType: 'https://k8s.io/promo-record/v1',
        annotatePredicate: false,
      }),
      { referrersApi: true },
    );
    const result = await verify(both.ref, [policy([dev, ci], 2)]);
    expect(result.signatures.map(s => s.format)).toEqual(['legacy']);
    expect(result.state).toBe('policy-mismatch');

    const only = await image();
    await publishBundle(
      registry.url,
      only.repository,
      only.digest,
      await world.signBundle(only.manifest, CI, {
        predicateType: 'https://slsa.dev/provenance/v1',
      }),
      { referrersApi: true },
    );
    const unsigned = await verify(only.ref, [policy([ci])]);
    expect(unsigned.state).toBe('unsigned');
    expect(unsigned.reason).toContain('1 attestation');
  });

  it('reports a rekord entry as unverifiable, not invalid', async () => {
    const img = await image();
    await signLegacy(img, [DEV], { rekorKind: 'rekord' });
    const result = await verify(img.ref, [policy([dev])]);
    expect(result.state).toBe('unverifiable');
    expect(result.reason).toContain('rekord');
  });

  it('refuses hostile payloads without crashing', async () => {
    const img = await image();
    const signature = await world.signLegacy(img.digest, 'x', DEV);
    const huge = {
      ...signature,
      payload: content(
        signature.payload.mediaType,
        Buffer.alloc(300 * 1024, 'a'),
      ),
    };
    const garbage = {
      ...signature,
      payload: content(signature.payload.mediaType, '[1,2,3]'),
    };
    const noSignature = {
      payload: signature.payload,
      annotations: { 'dev.sigstore.cosign/bundle': '{' },
    };
    await publishLegacySignatures(registry.url, img.repository, img.digest, [
      huge,
      garbage,
      noSignature,
    ]);
    const result = await verify(img.ref, [policy([dev])]);
    expect(result.state).toBe('invalid-signature');
    expect(result.signatures.map(s => s.reason)).toEqual([
      expect.stringContaining('limit'),
      'the signed payload is not a JSON object',
      'layer 2 has no signature annotation',
    ]);
  });

  it('verifies keyed signatures, with and without a transparency log', async () => {
    const key = SigningWorld.createKey();
    const logged = await image();
    await signLegacy(logged, [{ key }]);
    const result = await verify(logged.ref, [
      policy([keyAuthority(key.publicKeyPem)]),
    ]);
    expect(result.state).toBe('verified');
    expect(result.signatures[0].keyId).toMatch(/^sha256:[a-f0-9]{64}$/);

    const offline = await image();
    await signLegacy(offline, [{ key }], { tlog: false });
    expect(
      (await verify(offline.ref, [policy([keyAuthority(key.publicKeyPem)])]))
        .state,
    ).toBe('policy-mismatch');
    expect(
      (
        await verify(offline.ref, [
          policy([keyAuthority(key.publicKeyPem, true)]),
        ])
      ).state,
    ).toBe('verified');

    const otherKey = SigningWorld.createKey();
    expect(
      (
        await verify(logged.ref, [
          policy([keyAuthority(otherKey.publicKeyPem)]),
        ])
      ).state,
    ).toBe('policy-mismatch');
  });

  it('says unverifiable when trust material is missing, and names no policy', async () => {
    const img = await image();
    await signLegacy(img, [DEV]);
    const dir = await mkdtemp(join(tmpdir(), 'sig-bad-'));
    await writeFile(join(dir, 'bad.json'), '{not json');
    const [missing] = await service(
      [policy([dev])],
      [join(dir, 'bad.json')],
    ).verifyAll([{ image: img.ref }]);
    expect(missing.state).toBe('unverifiable');
    expect(missing.reason).toContain('bad.json');
    const noPolicy = await verify(img.ref, []);
    expect(noPolicy.state).toBe('unverifiable');
    expect(noPolicy.policy).toBeUndefined();
    expect(noPolicy.reason).toContain('dev@example.com');
  });

  it('uses the digest the pod runs and falls back to resolving the tag', async () => {
    const img = await image();
    await signLegacy(img, [DEV]);
    const byId = await verify(
      `${registry.host}/${img.repository}:v1`,
      [policy([dev])],
      {
        imageId: `docker-pullable://${registry.host}/${img.repository}@${img.digest}`,
      },
    );
    expect(byId).toMatchObject({ state: 'verified', digestSource: 'image-id' });
    const byTag = await verify(
      `${registry.host}/${img.repository}:v1`,
      [policy([dev])],
      { imageId: `sha256:${'a'.repeat(64)}` },
    );
    expect(byTag).toMatchObject({
      state: 'verified',
      digestSource: 'tag-resolution',
    });
    expect(
      (await verify(`${registry.host}/${img.repository}:nope`, [policy([dev])]))
        .state,
    ).toBe('digest-unknown');
    expect((await verify('Not A Reference!', [policy([dev])])).state).toBe(
      'digest-unknown',
    );
  });

  it('relates an index and its platform manifests', async () => {
    const repository = `team/multi${++counter}`;
    const platforms = [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ];
    const children = platforms.map(platform => ({
      artifact: buildImage(repository, platform),
      platform,
    }));
    for (const child of children)
      await pushArtifact(registry.url, repository, child.artifact);
    const index = buildIndex(children);
    await pushManifest(registry.url, repository, index, 'v1');
    const [amd64, arm64] = children.map(c => ({
      repository,
      digest: c.artifact.manifest.digest,
    }));
    await signLegacy(amd64, [DEV]);
    const indexRef = `${registry.host}/${repository}@${index.digest}`;

    const onNode = await verify(indexRef, [policy([dev])], {
      platform: { os: 'linux', architecture: 'amd64' },
    });
    expect(onNode.state).toBe('verified');
    expect(onNode.reason).toContain('linux/amd64');
    expect((await verify(indexRef, [policy([dev])])).state).toBe('unsigned');
    await signLegacy(arm64, [DEV]);
    const everyPlatform = await verify(indexRef, [policy([dev])]);
    expect(everyPlatform.state).toBe('verified');
    expect(everyPlatform.reason).toContain('every platform manifest');

    // A platform digest reported by the runtime, whose index is what was signed.
    const signedIndexRepo = `team/multi${++counter}`;
    const kids = platforms.map(platform => ({
      artifact: buildImage(signedIndexRepo, platform),
      platform,
    }));
    for (const kid of kids)
      await pushArtifact(registry.url, signedIndexRepo, kid.artifact);
    const signedIndex = buildIndex(kids);
    await pushManifest(registry.url, signedIndexRepo, signedIndex, 'v2');
    await signLegacy(
      { repository: signedIndexRepo, digest: signedIndex.digest },
      [DEV],
    );
    const platformResult = await verify(
      `${registry.host}/${signedIndexRepo}:v2`,
      [policy([dev])],
      {
        imageId: `${registry.host}/${signedIndexRepo}@${kids[1].artifact.manifest.digest}`,
      },
    );
    expect(platformResult.state).toBe('verified');
    expect(platformResult.reason).toContain(signedIndex.digest);
  });

  it('verifies each digest once per call and requires a named policy when asked', async () => {
    const img = await image();
    await signLegacy(img, [DEV]);
    const before = registry.requests.filter(r =>
      r.path.includes(`${img.repository}/manifests/sha256-`),
    ).length;
    const svc = service([
      policy([dev]),
      { ...policy([ci]), name: 'strict', images: [] },
    ]);
    const results = await svc.verifyAll([
      {
        image: img.ref,
        usedBy: [
          { kind: 'Deployment', namespace: 'a', name: 'x', container: 'c' },
        ],
      },
      {
        image: img.ref,
        usedBy: [
          { kind: 'Deployment', namespace: 'b', name: 'y', container: 'c' },
        ],
      },
      { image: img.ref, requiredPolicy: 'strict' },
      { image: img.ref, requiredPolicy: 'missing' },
    ]);
    expect(results.map(r => r.state)).toEqual([
      'verified',
      'verified',
      'policy-mismatch',
      'unverifiable',
    ]);
    expect(results[1].usedBy[0].name).toBe('y');
    const after = registry.requests.filter(r =>
      r.path.includes(`${img.repository}/manifests/sha256-`),
    ).length;
    expect(after - before).toBe(2); // one HEAD of the .sig tag per policy, not per request
  });
});

describe('the demo registry', () => {
  it('serves every demo image in the state it documents', async () => {
    const demo = await startDemoRegistry();
    try {
      const svc = new ImageVerificationService({
        client: new RegistryClient({
          ...LOCAL,
          endpoints: new Map([
            ['registry.example.com', demo.registry.url],
            ['registry.k8s.io', demo.registry.url],
          ]),
        }),
        trust: new TrustProvider({ trustedRootFiles: [demo.trustedRootPath] }),
        policies: {
          policies: [
            {
              name: 'platform',
              images: ['registry.example.com/platform/**'],
              threshold: 1,
              authorities: [keyAuthority(demo.publicKeyPem)],
            },
            {
              name: 'release',
              images: ['registry.example.com/**'],
              threshold: 1,
              authorities: [
                keylessAuthority({
                  identityRegExp: DEMO_IDENTITY_REGEXP,
                  issuer: DEMO_ISSUER,
                }),
              ],
            },
            KUBERNETES_RELEASE,
          ],
        },
      });
      const names = demo.images.map(
        i => `${i.registry}/${i.repository}:${i.tag}`,
      );
      const results = await svc.verifyAll(names.map(name => ({ image: name })));
      expect(results.map(r => [r.image, r.state])).toEqual(
        demo.images.map((i, n) => [names[n], i.expected]),
      );
    } finally {
      await demo.stop();
    }
  });
});
