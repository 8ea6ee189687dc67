import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildImage,
  publishBundle,
  publishLegacySignatures,
  pushArtifact,
  SigningWorld,
} from '@internal/simulated-cluster';
import { ImageVerificationService } from './ImageVerificationService';
import { keylessAuthority } from './policy';
import { RegistryClient } from './registry/RegistryClient';
import { TrustProvider } from './trust';

jest.setTimeout(60_000);

/** The test registries listen on 127.0.0.1, refused by default. */
const LOCAL = { access: { allowLoopback: true } };

/**
 * Against Debian's docker-registry (CNCF distribution 2.8): a registry we did
 * not write, without the referrers API, so bundles go through the tag-schema
 * fallback.
 */
function findBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v docker-registry'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error(
      'docker-registry is not installed: run scripts/lib/ensure-docker-registry.sh (apt-get install docker-registry)',
    );
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function waitForRegistry(
  url: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null)
      throw new Error(`docker-registry exited: ${log()}`);
    try {
      if ((await fetch(`${url}/v2/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not start: ${log()}`);
}

describe('verification against a real docker-registry', () => {
  let child: ChildProcess;
  let dir: string;
  let url: string;
  let host: string;
  let world: SigningWorld;
  let trustedRoot: string;

  beforeAll(async () => {
    const binary = findBinary();
    dir = await mkdtemp(join(tmpdir(), 'docker-registry-'));
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    url = `http://${host}`;
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      [
        'version: 0.1',
        'log: { level: error }',
        'storage:',
        `  filesystem: { rootdirectory: ${join(dir, 'data')} }`,
        'http:',
        `  addr: ${host}`,
        '',
      ].join('\n'),
    );
    let output = '';
    child = spawn(binary, ['serve', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', chunk => (output += chunk));
    child.stderr?.on('data', chunk => (output += chunk));
    await waitForRegistry(url, child, () => output);
    world = await SigningWorld.create();
    trustedRoot = join(dir, 'trusted_root.json');
    await world.writeTrustedRoot(trustedRoot);
  });

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function verify(image: string, identity: string) {
    return new ImageVerificationService({
      client: new RegistryClient(LOCAL),
      trust: new TrustProvider({ trustedRootFiles: [trustedRoot] }),
      policies: {
        policies: [
          {
            name: 'team',
            images: [`${host}/**`],
            threshold: 1,
            authorities: [
              keylessAuthority({
                identity,
                issuer: 'https://issuer.example.com',
              }),
            ],
          },
        ],
      },
    }).verifyAll([{ image }]);
  }

  it('verifies a keyless legacy .sig signature by the right identity only', async () => {
    const image = buildImage('team/legacy');
    await pushArtifact(url, 'team/legacy', image, 'v1');
    const signature = await world.signLegacy(
      image.manifest.digest,
      `${host}/team/legacy`,
      {
        keyless: {
          email: 'dev@example.com',
          issuer: 'https://issuer.example.com',
        },
      },
    );
    await publishLegacySignatures(url, 'team/legacy', image.manifest.digest, [
      signature,
    ]);

    const [right] = await verify(`${host}/team/legacy:v1`, 'dev@example.com');
    expect(right).toMatchObject({
      state: 'verified',
      digest: image.manifest.digest,
    });
    const [wrong] = await verify(
      `${host}/team/legacy:v1`,
      'someone-else@example.com',
    );
    expect(wrong.state).toBe('policy-mismatch');
    expect(wrong.reason).toContain('dev@example.com');
  });

  it('finds a bundle through the referrers tag fallback', async () => {
    const image = buildImage('team/bundle');
    await pushArtifact(url, 'team/bundle', image, 'v1');
    const bundle = await world.signBundle(image.manifest, {
      keyless: {
        email: 'ci@example.com',
        issuer: 'https://issuer.example.com',
      },
    });
    await publishBundle(url, 'team/bundle', image.manifest.digest, bundle, {
      referrersApi: false,
    });
    const [result] = await verify(`${host}/team/bundle:v1`, 'ci@example.com');
    expect(result.state).toBe('verified');
    expect(result.signatures[0].format).toBe('bundle');
  });

  it('says unsigned for an unsigned image', async () => {
    const image = buildImage('team/plain');
    await pushArtifact(url, 'team/plain', image, 'v1');
    const [result] = await verify(`${host}/team/plain:v1`, 'dev@example.com');
    expect(result.state).toBe('unsigned');
  });
});
