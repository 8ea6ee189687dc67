import { createServer } from 'node:http';
import { isIP } from 'node:net';
import type { AddressInfo, LookupFunction } from 'node:net';
import {
  buildImage,
  pushArtifact,
  startOciRegistry,
} from '@internal/simulated-cluster';
import type { OciRegistry } from '@internal/simulated-cluster';
import { credentialsFromPullSecret } from './credentials';
import { RegistryClient } from './RegistryClient';
import type { RegistryClientOptions } from './RegistryClient';

jest.setTimeout(30_000);

/** The test registries listen on 127.0.0.1, refused by default. */
const LOCAL = { access: { allowLoopback: true } };

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
      ...LOCAL,
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
      new RegistryClient(LOCAL).resolve(repo(), 'v1'),
    ).rejects.toMatchObject({ kind: 'auth' });
    await expect(
      new RegistryClient({
        ...LOCAL,
        credentials: new Map([
          [registry.host, { username: 'puller', password: 'nope' }],
        ]),
      }).resolve(repo(), 'v1'),
    ).rejects.toMatchObject({ kind: 'auth' });
  });

  it('follows a blob redirect to another origin without the Authorization header', async () => {
    const client = new RegistryClient({
      ...LOCAL,
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
      ...LOCAL,
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
      ...LOCAL,
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
      ...LOCAL,
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
      ...LOCAL,
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
      new RegistryClient(LOCAL).getManifest(repo(), `sha256:${'0'.repeat(64)}`),
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
      new RegistryClient({ ...LOCAL, maxManifestBytes: 1024 }).getManifest(
        repo(),
        'latest',
      ),
    ).rejects.toMatchObject({
      kind: 'too-large',
      message: expect.stringContaining(
        'manifest latest exceeds the 1024-byte limit (kubernetesSecurity.signatures.registryAccess.maxManifestBytes)',
      ),
    });
    await expect(
      new RegistryClient(LOCAL).getManifest(repo(), 'latest'),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('times out and reports the registry unreachable', async () => {
    handler = () => undefined; // never answers
    await expect(
      new RegistryClient({
        ...LOCAL,
        timeoutMs: 200,
      }).resolve(repo(), 'latest'),
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
    const client = new RegistryClient({
      ...LOCAL,
      timeoutMs: 200,
    });
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
    const eager = new RegistryClient({
      ...LOCAL,
      timeoutMs: 200,
      unreachableBackoffMs: 0,
    });
    await expect(eager.resolve(repo(), 'a')).rejects.toThrow();
    await expect(eager.resolve(repo(), 'b')).rejects.toThrow();
    expect(connections).toBe(3);
  });

  it('reports a closed port as unreachable', async () => {
    await expect(
      new RegistryClient(LOCAL).resolve(
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
    const client = new RegistryClient({
      ...LOCAL,
      maxConcurrencyPerHost: 2,
    });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.resolve(repo(), `t${i}`)),
    );
    expect(peak).toBe(2);
  });
});

describe('RegistryClient: registry access', () => {
  /** Everything a test server received. */
  interface Received {
    method: string;
    path: string;
    authorization?: string;
    body: string;
  }
  type Handler = (
    req: Received,
    res: import('node:http').ServerResponse,
  ) => void;

  /** A server that records every request; tests set its `handler`. */
  async function startServer() {
    const state = {
      received: [] as Received[],
      handler: ((_req, res) => {
        res.writeHead(404);
        res.end();
      }) as Handler,
    };
    const listener = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        const request = {
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          body,
        };
        state.received.push(request);
        state.handler(request, res);
      });
    });
    await new Promise<void>(resolve =>
      listener.listen(0, '127.0.0.1', resolve),
    );
    return Object.assign(state, {
      port: (listener.address() as AddressInfo).port,
      close: () => new Promise(resolve => listener.close(resolve)),
    });
  }

  let registry: Awaited<ReturnType<typeof startServer>>;
  let other: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    [registry, other] = await Promise.all([startServer(), startServer()]);
  });
  afterAll(() => Promise.all([registry.close(), other.close()]));
  beforeEach(() => {
    registry.received.length = 0;
    other.received.length = 0;
  });

  /** Test names, as a DNS server could answer them. */
  const NAMES: Record<string, string> = {
    'registry.test': '127.0.0.1',
    'auth.test': '127.0.0.1',
    'storage.test': '127.0.0.1',
    'metadata.test': '169.254.169.254',
    'private.test': '10.1.2.3',
  };
  const lookup: LookupFunction = (hostname, options, callback) => {
    const address = NAMES[hostname];
    if (!address)
      callback(Object.assign(new Error(hostname), { code: 'ENOTFOUND' }), '');
    else if (options.all) callback(null, [{ address, family: isIP(address) }]);
    else callback(null, address, isIP(address));
  };
  const registryHost = () => `registry.test:${registry.port}`;
  const otherUrl = (name: string) => `http://${name}:${other.port}`;
  const repo = () => ({ registry: registryHost(), repository: 'x/y' });
  /** Reaches the test servers by name over plain HTTP. */
  const client = (options: RegistryClientOptions = {}) =>
    new RegistryClient({
      lookup,
      insecureHosts: [
        registryHost(),
        `auth.test:${other.port}`,
        `storage.test:${other.port}`,
      ],
      timeoutMs: 2000,
      maxRetries: 0,
      ...options,
    });
  const loopback = { allowLoopback: true };
  const DIGEST = `sha256:${'a'.repeat(64)}`;

  it('refuses the cloud metadata address 169.254.169.254 without connecting', async () => {
    for (const host of ['169.254.169.254', '[fd00:ec2::254]']) {
      const started = Date.now();
      await expect(
        new RegistryClient({ timeoutMs: 2000 }).resolve(
          { registry: host, repository: 'latest/meta-data' },
          'latest',
        ),
      ).rejects.toMatchObject({
        kind: 'refused',
        message: expect.stringContaining('is a cloud metadata address'),
      });
      expect(Date.now() - started).toBeLessThan(500);
    }
  });

  it('refuses a name that resolves to 127.0.0.1 unless loopback is allowed', async () => {
    await expect(client().resolve(repo(), 'latest')).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining(
        'registry.test resolves to 127.0.0.1, which is a loopback address (allow with kubernetesSecurity.signatures.registryAccess.allowLoopback)',
      ),
    });
    expect(registry.received).toEqual([]);
    await expect(
      client({ access: loopback }).resolve(repo(), 'latest'),
    ).resolves.toBeUndefined();
    expect(registry.received.map(r => r.method)).toEqual(['HEAD']);
  });

  it('refuses a redirect from an allowed registry to a link-local or metadata address', async () => {
    for (const [location, why] of [
      ['http://169.254.10.20/blob', 'is a link-local address'],
      ['http://metadata.test/latest/meta-data/', 'cloud metadata address'],
    ]) {
      registry.handler = (_req, res) => {
        res.writeHead(307, { location });
        res.end();
      };
      await expect(
        client({ access: loopback }).getBlob(repo(), DIGEST),
      ).rejects.toMatchObject({
        kind: 'refused',
        message: expect.stringContaining(why),
      });
    }
    expect(registry.received).toHaveLength(2);
  });

  it('asks a token service on another host only when allowed, and never sends it credentials otherwise', async () => {
    const secret = credentialsFromPullSecret({
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(
          JSON.stringify({
            auths: { [registryHost()]: { username: 'u', password: 'p' } },
          }),
        ).toString('base64'),
      },
    });
    registry.handler = (req, res) => {
      if (req.authorization !== 'Bearer t0ken') {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="${otherUrl(
            'auth.test',
          )}/token",service="registry.test"`,
        });
        res.end();
        return;
      }
      res.writeHead(200, { 'docker-content-digest': DIGEST });
      res.end();
    };
    other.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"token":"t0ken"}');
    };
    await expect(
      client({ access: loopback }).resolve(repo(), 'v1', secret),
    ).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining(
        `sends clients to the token service http://auth.test:${other.port}, on another host; allow it in kubernetesSecurity.signatures.registryAccess.allowTokenRealmHosts`,
      ),
    });
    expect(other.received).toEqual([]);
    const allowed = client({
      access: { ...loopback, allowTokenRealmHosts: ['auth.test'] },
    });
    await expect(allowed.resolve(repo(), 'v1', secret)).resolves.toEqual({
      digest: DIGEST,
    });
    expect(other.received.map(r => r.path.split('?')[0])).toEqual(['/token']);
  });

  it('never sends credentials to a redirect target on another host', async () => {
    // An identity token travels in the body of the token request: a 307
    // would repeat it to wherever the token service points.
    const secret = credentialsFromPullSecret({
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(
          JSON.stringify({
            auths: { [registryHost()]: { identitytoken: 'refresh-me' } },
          }),
        ).toString('base64'),
      },
    });
    registry.handler = (req, res) => {
      if (req.path.startsWith('/token')) {
        res.writeHead(307, { location: `${otherUrl('storage.test')}/token` });
        res.end();
        return;
      }
      if (req.path.includes('/blobs/')) {
        res.writeHead(307, { location: `${otherUrl('storage.test')}/blob` });
        res.end();
        return;
      }
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${registryHost()}/token"`,
      });
      res.end();
    };
    await expect(
      client({ access: loopback }).resolve(repo(), 'v1', secret),
    ).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining(
        `redirected a request carrying credentials to http://storage.test:${other.port}`,
      ),
    });
    expect(registry.received.map(r => r.body)).toContainEqual(
      expect.stringContaining('refresh_token=refresh-me'),
    );
    expect(other.received).toEqual([]);

    // Basic credentials stay with the registry when a blob goes to storage.
    registry.handler = (req, res) => {
      if (!req.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' });
        res.end();
        return;
      }
      res.writeHead(307, { location: `${otherUrl('storage.test')}/blob` });
      res.end();
    };
    other.handler = (_req, res) => res.end('blob');
    await expect(
      client({ access: loopback }).getBlob(
        repo(),
        DIGEST,
        new Map([[registryHost(), { username: 'u', password: 'p' }]]),
      ),
    ).rejects.toMatchObject({ kind: 'invalid' }); // 'blob' is not DIGEST
    expect(registry.received.at(-1)?.authorization).toMatch(/^Basic /);
    expect(other.received.map(r => r.authorization)).toEqual([undefined]);
  });

  it('allows private addresses such as 10.x by default, and lets the deny list win over the allow list', async () => {
    const reachPrivate = (access: RegistryClientOptions['access']) =>
      client({ access, timeoutMs: 300 }).resolve(
        { registry: 'private.test', repository: 'x/y' },
        'latest',
      );
    // Allowed: the connection is attempted (and fails, nothing listens there).
    await expect(reachPrivate({})).rejects.toMatchObject({
      kind: 'unreachable',
    });
    await expect(
      reachPrivate({ allowHosts: ['private.test'], denyHosts: ['10.0.0.0/8'] }),
    ).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining(
        'private.test resolves to 10.1.2.3, which matches "10.0.0.0/8" in kubernetesSecurity.signatures.registryAccess.denyHosts',
      ),
    });
    await expect(
      client({
        access: {
          ...loopback,
          allowHosts: ['*.test'],
          denyHosts: ['registry.test'],
        },
      }).resolve(repo(), 'latest'),
    ).rejects.toMatchObject({ kind: 'refused' });
    expect(registry.received).toEqual([]);
  });

  it('refuses an oversized token response with a clear reason', async () => {
    registry.handler = (req, res) => {
      if (req.path.startsWith('/token')) {
        // Chunked: no declared length, the limit applies while reading.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"token":"${'x'.repeat(100_000)}"}`);
        return;
      }
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${registryHost()}/token"`,
      });
      res.end();
    };
    await expect(
      client({ access: loopback }).resolve(repo(), 'v1'),
    ).rejects.toMatchObject({
      kind: 'too-large',
      message: expect.stringContaining(
        `the answer of the token service http://${registryHost()} exceeds the 65536-byte limit`,
      ),
    });
  });
});
