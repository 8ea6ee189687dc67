import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoImage, DEMO_IMAGES } from './demoImages';
import type {
  DemoImageSeed,
  DemoSigner,
  DemoSigning,
  DemoState,
} from './demoImages';
import type { Content } from './oci';
import { startOciRegistry } from './ociRegistry';
import type { OciRegistry } from './ociRegistry';
import { publishBundle, publishLegacySignatures } from './publish';
import { pushArtifact, pushManifest } from './push';
import { SigningWorld } from './signingWorld';
import type { Signer, SigningKey } from './signingWorld';

/** One seeded build, as served. */
export interface DemoImage {
  /** The registry the example workloads name it by (mirrored to the demo registry). */
  registry: string;
  repository: string;
  /** Its first tag. */
  tag: string;
  /** The manifest or index digest (what a pod that pulled it reports). */
  digest: string;
  /** `<host:port>/<repository>:<tag>` at the demo registry itself. */
  reference: string;
  pushed: boolean;
  expected: DemoState;
  note: string;
}

export interface DemoRegistry {
  registry: OciRegistry;
  /** `trusted_root.json` of the fake sigstore world. */
  trustedRootPath: string;
  /** PEM public key of the platform team's cosign key. */
  publicKeyPem: string;
  publicKeyPath: string;
  images: DemoImage[];
  /** The local reference of the first seeded build of a repository (or of that tag). */
  reference(repository: string, tag?: string): string;
  stop(): Promise<void>;
}

/**
 * Serves every image of the example workloads (`DEMO_IMAGES`), signed in a
 * fake sigstore world so each verifies to its intended state once the
 * backend mirrors `registry.example.com` and `registry.k8s.io` here. Writes
 * `trusted_root.json` and `cosign.pub` to `dir` before it resolves. Image
 * digests are the same on every start; keys and certificates are new.
 */
export async function startDemoRegistry(
  options: { port?: number; host?: string; dir?: string } = {},
): Promise<DemoRegistry> {
  const world = await SigningWorld.create();
  // Nobody is told the password: the private repositories stay closed.
  const credentials = {
    username: 'demo-deployer',
    password: randomBytes(16).toString('hex'),
  };
  const registry = await startOciRegistry({
    port: options.port,
    host: options.host,
    auth: {
      ...credentials,
      repositories: DEMO_IMAGES.filter(s => s.private).map(s => s.repository),
    },
  });
  try {
    const dir =
      options.dir ?? (await mkdtemp(join(tmpdir(), 'demo-registry-')));
    const trustedRootPath = join(dir, 'trusted_root.json');
    const publicKeyPath = join(dir, 'cosign.pub');
    const key = SigningWorld.createKey();
    const images: DemoImage[] = [];
    for (const seed of DEMO_IMAGES) {
      const headers = seed.private
        ? await bearer(registry, seed.repository, credentials)
        : {};
      const digest = seed.pushed
        ? await publish(seed, { registry, world, key, headers })
        : buildDemoImage(seed).top.digest;
      images.push({
        registry: seed.registry,
        repository: seed.repository,
        tag: seed.tags[0],
        digest,
        reference: `${registry.host}/${seed.repository}:${seed.tags[0]}`,
        pushed: seed.pushed,
        expected: seed.expected,
        note: seed.note,
      });
    }
    // Last, so a file watcher sees them only once every image is served.
    await world.writeTrustedRoot(trustedRootPath);
    await writeFile(publicKeyPath, key.publicKeyPem);
    return {
      registry,
      trustedRootPath,
      publicKeyPem: key.publicKeyPem,
      publicKeyPath,
      images,
      reference: (repository, tag) => {
        const image = images.find(
          i => i.repository === repository && (!tag || i.tag === tag),
        );
        if (!image)
          throw new Error(`no demo image ${repository}${tag ? `:${tag}` : ''}`);
        return image.reference;
      },
      stop: () => registry.stop(),
    };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

interface SigningContext {
  registry: OciRegistry;
  world: SigningWorld;
  key: SigningKey;
  /** Authorization for a private repository. */
  headers: Record<string, string>;
}

/** Pushes a build under its tags and signs it as its publisher did; returns its digest. */
async function publish(
  seed: DemoImageSeed,
  context: SigningContext,
): Promise<string> {
  const { registry, headers } = context;
  const build = buildDemoImage(seed);
  const multiPlatform = build.images.length > 1;
  for (const { artifact } of build.images)
    await pushArtifact(
      registry.url,
      seed.repository,
      artifact,
      undefined,
      headers,
    );
  for (const tag of seed.tags)
    await pushManifest(registry.url, seed.repository, build.top, tag, headers);
  // As `cosign sign --recursive`: the index and each platform manifest.
  const signed = [
    build.top,
    ...(multiPlatform ? build.images.map(i => i.artifact.manifest) : []),
  ];
  for (const manifest of signed)
    await sign(seed, manifest, seed.signing, context);
  return build.top.digest;
}

async function sign(
  seed: DemoImageSeed,
  manifest: Content,
  signing: DemoSigning,
  context: SigningContext,
): Promise<void> {
  if (signing.kind === 'none') return;
  const signer = toSigner(signing.signer, context.key);
  if (signing.kind === 'bundle') {
    await publishBundle(
      context.registry.url,
      seed.repository,
      manifest.digest,
      await context.world.signBundle(
        manifest,
        signer,
        signing.predicateType ? { predicateType: signing.predicateType } : {},
      ),
      { referrersApi: true, headers: context.headers },
    );
    return;
  }
  const signature = await context.world.signLegacy(
    manifest.digest,
    // What cosign signs: the name the publisher pushed to, not the mirror.
    `${seed.registry}/${seed.repository}`,
    signer,
    {
      ...(signing.tamper ? { tamper: true } : {}),
      ...(signing.rekorKind ? { rekorKind: signing.rekorKind } : {}),
    },
  );
  await publishLegacySignatures(
    context.registry.url,
    seed.repository,
    manifest.digest,
    [signature],
    context.headers,
  );
}

function toSigner(signer: DemoSigner, key: SigningKey): Signer {
  return signer === 'platform-key' ? { key } : signer;
}

/** A pull-and-push token for a private repository, as `docker login` would get. */
async function bearer(
  registry: OciRegistry,
  repository: string,
  credentials: { username: string; password: string },
): Promise<Record<string, string>> {
  const response = await fetch(
    `${registry.url}/token?scope=${encodeURIComponent(
      `repository:${repository}:pull,push`,
    )}`,
    {
      headers: {
        authorization: `Basic ${Buffer.from(
          `${credentials.username}:${credentials.password}`,
        ).toString('base64')}`,
      },
    },
  );
  if (!response.ok)
    throw new Error(
      `the demo registry refused its own credentials: HTTP ${response.status}`,
    );
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}
