import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createGzip } from 'node:zlib';
import {
  KubernetesApiClient,
  KubernetesApiClientOptions,
  KubernetesRequestError,
} from './KubernetesApiClient';
import { isNonPublicAddress } from './urlValidation';
import { CA_DATA, fixture } from './__testUtils__/tls';

interface Seen {
  authorization?: string;
  clientCertificate?: string;
}

/** Answers `{}` to everything and records how each request authenticated. */
function listen(server: Server, seen: Seen[]): Promise<string> {
  server.on('request', (request: IncomingMessage, response) => {
    const socket = request.socket as Partial<TLSSocket>;
    seen.push({
      authorization: request.headers.authorization,
      clientCertificate: socket.getPeerCertificate?.()?.subject?.CN as
        | string
        | undefined,
    });
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{"items":[]}');
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve(String((server.address() as AddressInfo).port)),
    ),
  );
}

const options = { pageSize: 10, requestTimeoutMs: 5_000 };

describe('KubernetesApiClient credentials', () => {
  const seen: Seen[] = [];
  const http = createHttpServer();
  // Asks for a client certificate, as an API server does.
  const https = createHttpsServer({
    key: fixture('server.key'),
    cert: fixture('server.pem'),
    ca: fixture('ca.pem'),
    requestCert: true,
    rejectUnauthorized: false,
  });
  let httpUrl: string;
  let httpsUrl: string;
  beforeAll(async () => {
    httpUrl = `http://127.0.0.1:${await listen(http, seen)}`;
    httpsUrl = `https://127.0.0.1:${await listen(https, seen)}`;
  });
  afterAll(async () => {
    await new Promise(resolve => http.close(resolve));
    await new Promise(resolve => https.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    jest.restoreAllMocks();
  });

  const cluster = (
    extra: Partial<KubernetesSecurityCluster>,
  ): KubernetesSecurityCluster => ({
    name: 'c',
    url: httpUrl,
    authProvider: 'aws',
    ...extra,
  });

  it("sends the strategy's bearer token, renewing it when it gets old", async () => {
    let issued = 0;
    const getCredential = jest.fn(async () => ({
      type: 'bearer token' as const,
      token: `token-${++issued}`,
    }));
    const client = new KubernetesApiClient(cluster({ getCredential }), options);
    await client.request('GET', '/api');
    await client.request('GET', '/apis');
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 6 * 60_000);
    await client.request('GET', '/api');
    expect(seen.map(s => s.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(getCredential).toHaveBeenCalledTimes(2);
  });

  it('sends nothing for an anonymous credential (kubectl proxy)', async () => {
    const client = new KubernetesApiClient(
      cluster({
        authProvider: 'localKubectlProxy',
        getCredential: async () => ({ type: 'anonymous' }),
      }),
      options,
    );
    await client.request('GET', '/api');
    expect(seen).toEqual([{ authorization: undefined }]);
  });

  it('keeps using serviceAccountToken when no strategy is attached', async () => {
    const client = new KubernetesApiClient(
      cluster({ authProvider: 'serviceAccount', serviceAccountToken: 'sa' }),
      options,
    );
    await client.request('GET', '/api');
    expect(seen[0].authorization).toBe('Bearer sa');
  });

  it('presents an x509 client certificate and verifies the server with caData', async () => {
    const client = new KubernetesApiClient(
      cluster({
        url: httpsUrl,
        caData: CA_DATA,
        getCredential: async () => ({
          type: 'x509 client certificate',
          cert: fixture('client.pem'),
          key: fixture('client.key'),
        }),
      }),
      options,
    );
    await expect(client.listAll('/api/v1/pods')).resolves.toEqual([]);
    expect(seen).toEqual([
      { authorization: undefined, clientCertificate: 'kubernetes-security' },
    ]);
  });

  it('refuses a server its CA did not sign', async () => {
    const client = new KubernetesApiClient(
      cluster({
        url: httpsUrl,
        getCredential: async () => ({ type: 'bearer token', token: 't' }),
      }),
      options,
    );
    await expect(client.request('GET', '/api')).rejects.toMatchObject({
      type: 'CONFIGURATION',
      message: expect.stringMatching(/^TLS verification of .* failed/),
    });
    expect(seen).toEqual([]);
  });

  it('reports a strategy failure as a configuration error and asks again next time', async () => {
    const getCredential = jest
      .fn()
      .mockRejectedValueOnce(
        new Error('Could not load credentials from any providers'),
      )
      .mockResolvedValue({ type: 'bearer token', token: 'late' });
    const client = new KubernetesApiClient(cluster({ getCredential }), options);
    const error = await client.request('GET', '/api').catch(e => e);
    expect(error).toBeInstanceOf(KubernetesRequestError);
    expect(error).toMatchObject({
      type: 'CONFIGURATION',
      message:
        'No credential from authProvider aws: Could not load credentials from any providers',
    });
    await client.request('GET', '/api');
    expect(seen.map(s => s.authorization)).toEqual(['Bearer late']);
  });

  describe('connection-time address checks (DNS rebinding)', () => {
    const refuseNonPublic = (address: string) =>
      isNonPublicAddress(address) ? 'a non-public address' : undefined;
    const port = () => new URL(httpUrl).port;
    // The host passed the checks when located; by now it points at loopback.
    const rebound = async () => [{ address: '127.0.0.1' }];
    const token = async () => ({
      type: 'bearer token' as const,
      token: 'cloud-token',
    });

    it('refuses to connect when the host now resolves to a non-public address', async () => {
      const client = new KubernetesApiClient(
        cluster({
          url: `http://eks.example.com:${port()}`,
          getCredential: token,
          refuseAddress: refuseNonPublic,
        }),
        { ...options, lookup: rebound },
      );
      await expect(client.request('GET', '/api')).rejects.toMatchObject({
        type: 'CONFIGURATION',
        message: `Refused to connect to eks.example.com:${port()}: eks.example.com resolves to 127.0.0.1: a non-public address`,
      });
      expect(seen).toEqual([]);
    });

    it('connects through the checked addresses when they are allowed', async () => {
      // eks.example.com has no such address in real DNS: reaching the test
      // server proves the connection used the checked lookup.
      const client = new KubernetesApiClient(
        cluster({
          url: `http://eks.example.com:${port()}`,
          getCredential: token,
          refuseAddress: () => undefined,
        }),
        { ...options, lookup: rebound },
      );
      await client.request('GET', '/api');
      expect(seen.map(s => s.authorization)).toEqual(['Bearer cloud-token']);
    });

    it('refuses an IP-literal URL, which needs no lookup, before asking for a credential', async () => {
      const getCredential = jest.fn(token);
      const client = new KubernetesApiClient(
        cluster({ getCredential, refuseAddress: refuseNonPublic }),
        options,
      );
      await expect(client.request('GET', '/api')).rejects.toMatchObject({
        type: 'CONFIGURATION',
        message: expect.stringContaining('127.0.0.1 is a non-public address'),
      });
      expect(getCredential).not.toHaveBeenCalled();
      expect(seen).toEqual([]);
    });
  });
});

describe('KubernetesApiClient against a misbehaving API server', () => {
  type Handler = (
    request: IncomingMessage,
    response: ServerResponse,
    count: number,
  ) => void;
  let server: Server;
  let handle: Handler;
  let requests: IncomingMessage[];
  let url: string;
  beforeAll(async () => {
    server = createHttpServer((request, response) => {
      requests.push(request);
      handle(request, response, requests.length);
    });
    url = `http://127.0.0.1:${await new Promise<number>(resolve =>
      server.listen(0, '127.0.0.1', () =>
        resolve((server.address() as AddressInfo).port),
      ),
    )}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    requests = [];
  });

  const fast = { retries: 3, initialDelayMs: 5, maxDelayMs: 2_000 };
  const client = (extra: Partial<KubernetesApiClientOptions> = {}) =>
    new KubernetesApiClient(
      { name: 'c', url, authProvider: 'serviceAccount' },
      { ...options, retry: fast, ...extra },
    );
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const unavailable = (response: ServerResponse, retryAfter?: string) => {
    response.writeHead(503, {
      'Content-Type': 'application/json',
      ...(retryAfter ? { 'Retry-After': retryAfter } : {}),
    });
    response.end(
      JSON.stringify({ kind: 'Status', code: 503, message: 'unavailable' }),
    );
  };

  describe('response size', () => {
    it('refuses a body larger than the cap from its Content-Length', async () => {
      handle = (_, response) =>
        json(response, 200, { items: ['x'.repeat(2_000)] });
      await expect(
        client({ maxResponseBytes: 1_000 }).request('GET', '/api/v1/pods'),
      ).rejects.toMatchObject({
        type: 'BAD_RESPONSE',
        message: expect.stringMatching(
          /^The response to \/api\/v1\/pods is larger than 1000 bytes; not read/,
        ),
      });
    });

    it('reads gzip bodies (node-fetch inflates them) and caps them after inflating, aborting an endless one', async () => {
      let bombDefused!: () => void;
      const defused = new Promise<void>(resolve => {
        bombDefused = resolve;
      });
      handle = (request, response) => {
        response.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
        });
        const gzip = createGzip();
        gzip.pipe(response);
        if (request.url === '/small') {
          gzip.end('{"items":[]}');
          return;
        }
        // A zip bomb: a few KiB on the wire per MiB inflated, without end.
        const zeros = Buffer.alloc(64 * 1024, '0');
        const pump = () => {
          while (!response.destroyed && gzip.write(zeros));
          if (!response.destroyed) gzip.once('drain', pump);
        };
        response.on('close', () => {
          gzip.destroy();
          bombDefused();
        });
        pump();
      };
      const capped = client({ maxResponseBytes: 1024 * 1024 });
      await expect(capped.request('GET', '/small')).resolves.toEqual({
        items: [],
      });
      expect(requests[0].headers['accept-encoding']).toMatch(/gzip/);
      await expect(capped.request('GET', '/bomb')).rejects.toMatchObject({
        type: 'BAD_RESPONSE',
        message: expect.stringContaining('larger than 1048576 bytes'),
      });
      // The connection is closed at the cap, not read to its (never) end.
      await defused;
    });

    it('explains a body that claims gzip but is not', async () => {
      handle = (_, response) => {
        response.writeHead(200, { 'Content-Encoding': 'gzip' });
        response.end('{"items":[]}');
      };
      await expect(client().request('GET', '/api')).rejects.toMatchObject({
        type: 'BAD_RESPONSE',
        message: expect.stringMatching(/does not decompress \(Z_DATA_ERROR\)/),
      });
    });
  });

  describe('pagination', () => {
    it('stops a list after maxListPages pages', async () => {
      handle = (_, response, count) =>
        json(response, 200, {
          items: [{ page: count }],
          metadata: { continue: `page-${count}` },
        });
      await expect(
        client({ maxListPages: 3 }).listAll('/api/v1/pods'),
      ).rejects.toMatchObject({
        type: 'BAD_RESPONSE',
        message:
          'GET /api/v1/pods has more than 3 pages of 10 items; not read further (see kubernetesSecurity.maxListPages)',
      });
      expect(requests).toHaveLength(3);
    });

    it('does not follow a continue token the server already sent', async () => {
      handle = (_, response) =>
        json(response, 200, { items: [], metadata: { continue: 'again' } });
      await expect(client().listAll('/api/v1/pods')).rejects.toMatchObject({
        message: expect.stringContaining('repeated a continue token'),
      });
      expect(requests).toHaveLength(2);
    });

    it('refuses items that are not a list', async () => {
      handle = (_, response) => json(response, 200, { items: 'everything' });
      await expect(client().listAll('/api/v1/pods')).rejects.toMatchObject({
        type: 'BAD_RESPONSE',
        message: 'GET /api/v1/pods returned no list',
      });
    });
  });

  describe('retries', () => {
    it('retries 5xx with backoff until the server recovers', async () => {
      handle = (_, response, count) =>
        count < 3 ? unavailable(response) : json(response, 200, { ok: true });
      await expect(client().request('GET', '/api')).resolves.toEqual({
        ok: true,
      });
      expect(requests).toHaveLength(3);
    });

    it('gives up after the retries and says how often it tried', async () => {
      handle = (_, response) => unavailable(response);
      await expect(client().request('GET', '/api')).rejects.toMatchObject({
        type: 'BAD_RESPONSE',
        statusCode: 503,
        message: 'unavailable (4 attempts)',
      });
      expect(requests).toHaveLength(4);
    });

    it('waits at least the Retry-After of a 429', async () => {
      const times: number[] = [];
      handle = (_, response, count) => {
        times.push(Date.now());
        if (count === 1) {
          response.writeHead(429, { 'Retry-After': '1' });
          response.end();
        } else json(response, 200, { ok: true });
      };
      await expect(client().request('GET', '/api')).resolves.toEqual({
        ok: true,
      });
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(990);
    });

    it('does not wait for a Retry-After longer than it would back off', async () => {
      handle = (_, response) => unavailable(response, '3600');
      await expect(client().request('GET', '/api')).rejects.toMatchObject({
        statusCode: 503,
        message:
          'unavailable; the API server asks to retry after 3600 s, longer than a scan waits (2 s)',
      });
      expect(requests).toHaveLength(1);
    });

    it('retries a dropped connection', async () => {
      handle = (request, response, count) =>
        count === 1
          ? request.socket.destroy()
          : json(response, 200, { ok: true });
      await expect(client().request('GET', '/api')).resolves.toEqual({
        ok: true,
      });
      expect(requests).toHaveLength(2);
    });

    it('sends a POST once unless it is marked safe to repeat', async () => {
      handle = (_, response) => unavailable(response);
      await expect(
        client().request('POST', '/apis/example.com/v1/things', { body: {} }),
      ).rejects.toMatchObject({ statusCode: 503, message: 'unavailable' });
      expect(requests).toHaveLength(1);
      requests.length = 0;
      await expect(
        client().request(
          'POST',
          '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          { body: {}, retrySafe: true },
        ),
      ).rejects.toMatchObject({ statusCode: 503 });
      expect(requests).toHaveLength(4);
    });

    it('never retries what another attempt cannot fix', async () => {
      handle = (_, response) =>
        json(response, 403, { kind: 'Status', message: 'forbidden' });
      await expect(client().request('GET', '/api')).rejects.toMatchObject({
        type: 'FORBIDDEN',
        message: 'forbidden',
      });
      expect(requests).toHaveLength(1);
    });
  });

  describe('timeouts and the scan signal', () => {
    const stall: Handler = () => undefined;

    it('times out a server that stops in the middle of a body, without retrying', async () => {
      handle = (_, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('{"items":[');
      };
      await expect(
        client({ requestTimeoutMs: 200 }).request('GET', '/api/v1/pods'),
      ).rejects.toMatchObject({
        type: 'TIMEOUT',
        message: 'GET /api/v1/pods timed out after 200 ms',
      });
      expect(requests).toHaveLength(1);
    });

    it('aborts a request in flight when the scan is aborted', async () => {
      handle = stall;
      const scan = new AbortController();
      const pending = client({ signal: scan.signal }).request(
        'GET',
        '/api/v1/pods',
      );
      setTimeout(() => scan.abort(new Error('the scan took too long')), 50);
      await expect(pending).rejects.toMatchObject({
        type: 'TIMEOUT',
        message: 'GET /api/v1/pods aborted: the scan took too long',
      });
    });

    it('stops waiting between retries when the scan is aborted', async () => {
      handle = (_, response) => unavailable(response, '2');
      const scan = new AbortController();
      const started = Date.now();
      const pending = client({ signal: scan.signal }).request('GET', '/api');
      setTimeout(() => scan.abort(new Error('cancelled')), 50);
      await expect(pending).rejects.toMatchObject({
        message: 'GET /api aborted: cancelled',
      });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(requests.filter(r => r.url === '/api')).toHaveLength(1);
    });
  });
});
