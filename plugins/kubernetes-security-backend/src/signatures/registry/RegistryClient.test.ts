import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildImage,
  pushArtifact,
  startOciRegistry,
} from '@internal/simulated-cluster';
import type { OciRegistry } from '@internal/simulated-cluster';
import { RegistryClient } from './RegistryClient';
import { RegistryError } from './RegistryError';

jest.setTimeout(30_000);

const AUTH = { username: 'puller', password: 'hunter2' };

describe('RegistryClient against the in-process registry', () => {
  let registry: OciRegistry;
  let digest: string;
  let layerDigest: string;
  const repo = () => ({ registry: registry.host, repository: 'team/app' });

  beforeAll(async () => {
    registry = await startOciRegistry({ auth: AUTH, redirectBlobs: true });
    const token = await fetch(
      `${registry.url}/token?service=x&scope=repository:team/app:push`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(
            `${AUTH.username}:${AUTH.password}`,
          ).toString('base64')}`,
        },
      },
    ).then(r => r.json());
    const image = buildImage('team/app');
    await pushArtifact(registry.url, 'team/app', image, 'v1', {
      authorization: `Bearer ${token.token}`,
    });
    digest = image.manifest.digest;
    layerDigest = image.blobs[1].digest;
  });
  afterAll(() => registry.stop());

  it('answers the bearer challenge with configured credentials and reuses the token', async () => {
    const client = new RegistryClient({
      credentials: new Map([[registry.host, AUTH]]),
    });
    const start = registry.requests.length;
    expect(await client.resolve(repo(), 'v1')).toEqual({
      digest,
      mediaType: expect.stringContaining('oci'),
    });
    const manifest = await client.getManifest(repo(), digest);
    expect(manifest?.digest).toBe(digest);
    const seen = registry.requests
      .slice(start)
      .map(
        r =>
          `${r.method} ${r.path.split('?')[0]} ${
            r.authorization ? 'auth' : 'anon'
          }`,
      );
    expect(seen).toEqual([
      'HEAD /v2/team/app/manifests/v1 anon',
      'GET /token auth',
      'HEAD /v2/team/app/manifests/v1 auth',
      `GET /v2/team/app/manifests/${digest} auth`,
    ]);
  });

  it('reports missing or wrong credentials as an auth failure', async () => {
    await expect(
      new RegistryClient().resolve(repo(), 'v1'),
    ).rejects.toMatchObject({ kind: 'auth' });
    await expect(
      new RegistryClient({
        credentials: new Map([
          [registry.host, { username: 'puller', password: 'nope' }],
        ]),
      }).resolve(repo(), 'v1'),
    ).rejects.toMatchObject({ kind: 'auth' });
  });

  it('follows a blob redirect to another origin without the Authorization header', async () => {
    const client = new RegistryClient({
      credentials: new Map([[registry.host, AUTH]]),
    });
    const blob = await client.getBlob(repo(), layerDigest);
    expect(blob.length).toBeGreaterThan(0);
    expect(registry.storageRequests.length).toBeGreaterThan(0);
    expect(
      registry.storageRequests.every(r => r.authorization === undefined),
    ).toBe(true);
    expect(
      registry.requests.some(
        r => r.path.includes(`/blobs/${layerDigest}`) && r.authorization,
      ),
    ).toBe(true);
  });

  it('maps an injected 404 to "does not exist"', async () => {
    const client = new RegistryClient({
      credentials: new Map([[registry.host, AUTH]]),
      maxRetries: 0,
    });
    registry.inject({
      method: 'HEAD',
      path: /manifests\/v1$/,
      status: 404,
      times: 1,
    });
    await expect(client.resolve(repo(), 'v1')).resolves.toBeUndefined();
  });

  it.each([
    [500, 'unreachable'],
    [403, 'auth'],
  ])('maps an injected %p to %p', async (status, kind) => {
    const client = new RegistryClient({
      credentials: new Map([[registry.host, AUTH]]),
      maxRetries: 0,
    });
    registry.inject({
      method: 'HEAD',
      path: /manifests\/v1$/,
      status: status as 500,
      times: 1,
    });
    await expect(client.resolve(repo(), 'v1')).rejects.toMatchObject({ kind });
  });

  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const client = new RegistryClient({
      credentials: new Map([[registry.host, AUTH]]),
    });
    registry.inject({
      path: /manifests\/v1$/,
      status: 429,
      headers: { 'retry-after': '1' },
      times: 1,
    });
    const started = Date.now();
    expect((await client.resolve(repo(), 'v1'))?.digest).toBe(digest);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up on 429 when Retry-After is longer than it may wait', async () => {
    const client = new RegistryClient({
      credentials: new Map([[registry.host, AUTH]]),
      maxRetryAfterMs: 100,
    });
    registry.inject({
      path: /manifests\/v1$/,
      status: 429,
      headers: { 'retry-after': '60' },
      times: 1,
    });
    await expect(client.resolve(repo(), 'v1')).rejects.toMatchObject({
      kind: 'unreachable',
      status: 429,
    });
  });
});

describe('RegistryClient against a hostile server', () => {
  let server: ReturnType<typeof createServer>;
  let host: string;
  let handler: (path: string, res: import('node:http').ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => handler(req.url ?? '', res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  const repo = () => ({ registry: host, repository: 'x/y' });

  it('rejects a manifest whose bytes do not match the requested digest', async () => {
    handler = (_path, res) => {
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
      });
      res.end('{"schemaVersion":2}');
    };
    await expect(
      new RegistryClient().getManifest(repo(), `sha256:${'0'.repeat(64)}`),
    ).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('refuses oversized bodies and garbage', async () => {
    handler = (_path, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(2048, 'x'));
    };
    await expect(
      new RegistryClient({ maxManifestBytes: 1024 }).getManifest(
        repo(),
        'latest',
      ),
    ).rejects.toBeInstanceOf(RegistryError);
    await expect(
      new RegistryClient().getManifest(repo(), 'latest'),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('times out and reports the registry unreachable', async () => {
    handler = () => undefined; // never answers
    await expect(
      new RegistryClient({ timeoutMs: 200 }).resolve(repo(), 'latest'),
    ).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('timed out'),
    });
  });

  it('fails fast for a while after a host did not answer, instead of waiting again per image', async () => {
    let connections = 0;
    handler = () => {
      connections++; // never answers
    };
    const client = new RegistryClient({ timeoutMs: 200 });
    await expect(client.resolve(repo(), 'latest')).rejects.toMatchObject({
      kind: 'unreachable',
    });
    const started = Date.now();
    await expect(client.resolve(repo(), 'other')).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('not retried for 60 s'),
    });
    expect(Date.now() - started).toBeLessThan(100);
    expect(connections).toBe(1);
    // With no back-off, it asks again.
    const eager = new RegistryClient({ timeoutMs: 200, unreachableBackoffMs: 0 });
    await expect(eager.resolve(repo(), 'a')).rejects.toThrow();
    await expect(eager.resolve(repo(), 'b')).rejects.toThrow();
    expect(connections).toBe(3);
  });

  it('reports a closed port as unreachable', async () => {
    await expect(
      new RegistryClient().resolve(
        { registry: '127.0.0.1:1', repository: 'x/y' },
        'latest',
      ),
    ).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('runs at most the configured number of requests per host at once', async () => {
    let active = 0;
    let peak = 0;
    handler = (_path, res) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        res.writeHead(404);
        res.end();
      }, 30);
    };
    const client = new RegistryClient({ maxConcurrencyPerHost: 2 });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.resolve(repo(), `t${i}`)),
    );
    expect(peak).toBe(2);
  });
});
