import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  KubernetesApiClient,
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
