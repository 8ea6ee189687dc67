import { randomBytes } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { OCI_INDEX, sha256Digest } from './oci';

/** A failure to inject: the next `times` matching requests get `status`. */
export interface InjectedFault {
  method?: string;
  path: RegExp;
  status: 401 | 403 | 404 | 429 | 500 | 503;
  headers?: Record<string, string>;
  times?: number;
}

export interface OciRegistryOptions {
  /** Serve `GET /v2/<name>/referrers/<digest>` (OCI 1.1). Default true. */
  referrersApi?: boolean;
  /**
   * Require a bearer token from the registry's own token endpoint, for every
   * repository or only for `repositories` (exact names): private
   * repositories on an otherwise anonymous registry, where a token obtained
   * without credentials opens none of them.
   */
  auth?: { username: string; password: string; repositories?: string[] };
  /** Answer blob GETs with a redirect to a second origin ("storage"). */
  redirectBlobs?: boolean;
  port?: number;
  host?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface OciRegistry {
  /** e.g. `http://127.0.0.1:39123`. */
  url: string;
  /** `host:port`, the registry part of image references. */
  host: string;
  requests: RecordedRequest[];
  /** Requests the blob storage origin received. */
  storageRequests: RecordedRequest[];
  inject(fault: InjectedFault): void;
  setReferrersApi(enabled: boolean): void;
  stop(): Promise<void>;
}

interface StoredManifest {
  mediaType: string;
  bytes: Buffer;
}

const MAX_BODY = 16 * 1024 * 1024;
const NAME = '([a-z0-9]+(?:[._/-][a-z0-9]+)*)';
const ROUTES = {
  manifest: new RegExp(`^/v2/${NAME}/manifests/([^/]+)$`),
  blob: new RegExp(`^/v2/${NAME}/blobs/(sha256:[a-f0-9]{64})$`),
  uploads: new RegExp(`^/v2/${NAME}/blobs/uploads/([a-f0-9]*)$`),
  referrers: new RegExp(`^/v2/${NAME}/referrers/(sha256:[a-f0-9]{64})$`),
};

/**
 * An in-process OCI distribution registry over Node's http: push and pull of
 * manifests and blobs, tags, the referrers API (switchable), a bearer token
 * challenge with its own token endpoint, blob redirects to another origin,
 * and injectable failures. Enough to test a registry client honestly.
 */
export async function startOciRegistry(
  options: OciRegistryOptions = {},
): Promise<OciRegistry> {
  let referrersApi = options.referrersApi ?? true;
  const manifests = new Map<string, Map<string, StoredManifest>>();
  const tags = new Map<string, Map<string, string>>();
  const blobs = new Map<string, Buffer>();
  const uploads = new Set<string>();
  /** Bearer tokens issued, and whether against the credentials. */
  const tokens = new Map<string, boolean>();
  const faults: InjectedFault[] = [];
  const requests: RecordedRequest[] = [];
  const storageRequests: RecordedRequest[] = [];

  const storage = createServer((req, res) => {
    storageRequests.push(record(req));
    const digest = new URL(req.url ?? '/', 'http://x').pathname.replace(
      '/storage/',
      '',
    );
    const blob = blobs.get(digest);
    if (!blob) {
      send(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': blob.length,
    });
    res.end(req.method === 'HEAD' ? undefined : blob);
  });
  const storageUrl = await listen(storage, 0, options.host ?? '127.0.0.1');

  const server = createServer((req, res) => {
    handle(req, res).catch(error => send(res, 500, String(error)));
  });
  const url = await listen(
    server,
    options.port ?? 0,
    options.host ?? '127.0.0.1',
  );
  const host = new URL(url).host;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    requests.push(record(req));
    const parsed = new URL(req.url ?? '/', url);
    const path = parsed.pathname;
    const method = req.method ?? 'GET';

    const fault = faults.find(
      f => (!f.method || f.method === method) && f.path.test(path),
    );
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0)
        faults.splice(faults.indexOf(fault), 1);
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        ...fault.headers,
      });
      res.end(
        JSON.stringify({
          errors: [{ code: 'INJECTED', message: `injected ${fault.status}` }],
        }),
      );
      return;
    }
    if (path === '/token') {
      issueToken(req, res, parsed);
      return;
    }
    const repository = /^\/v2\/(.+)\/(?:manifests|blobs|referrers)\//.exec(
      path,
    )?.[1];
    const isPrivate =
      !options.auth?.repositories ||
      (!!repository && options.auth.repositories.includes(repository));
    if (options.auth && isPrivate && !authorized(req)) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="${url}/token",service="${host}"${
          repository ? `,scope="repository:${repository}:pull"` : ''
        }`,
      });
      res.end(
        JSON.stringify({
          errors: [
            { code: 'UNAUTHORIZED', message: 'authentication required' },
          ],
        }),
      );
      return;
    }
    if (path === '/v2/' || path === '/v2') {
      send(res, 200, '{}', 'application/json');
      return;
    }

    let match = ROUTES.uploads.exec(path);
    if (match) {
      await upload(req, res, match[1], match[2], parsed);
      return;
    }
    match = ROUTES.referrers.exec(path);
    if (match && method === 'GET') {
      if (!referrersApi) {
        send(res, 404, '404 page not found');
        return;
      }
      referrers(
        res,
        match[1],
        match[2],
        parsed.searchParams.get('artifactType'),
      );
      return;
    }
    match = ROUTES.blob.exec(path);
    if (match && (method === 'GET' || method === 'HEAD')) {
      const blob = blobs.get(match[2]);
      if (!blob) {
        sendError(res, 404, 'BLOB_UNKNOWN');
        return;
      }
      if (options.redirectBlobs && method === 'GET') {
        res.writeHead(307, { location: `${storageUrl}/storage/${match[2]}` });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': blob.length,
        'docker-content-digest': match[2],
      });
      res.end(method === 'HEAD' ? undefined : blob);
      return;
    }
    match = ROUTES.manifest.exec(path);
    if (match) {
      const [, name, reference] = match;
      if (method === 'PUT') {
        await putManifest(req, res, name, reference);
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        sendError(res, 405, 'UNSUPPORTED');
        return;
      }
      const digest = reference.startsWith('sha256:')
        ? reference
        : tags.get(name)?.get(reference);
      const manifest = digest ? manifests.get(name)?.get(digest) : undefined;
      if (!manifest || !digest) {
        sendError(res, 404, 'MANIFEST_UNKNOWN');
        return;
      }
      res.writeHead(200, {
        'content-type': manifest.mediaType,
        'content-length': manifest.bytes.length,
        'docker-content-digest': digest,
      });
      res.end(method === 'HEAD' ? undefined : manifest.bytes);
      return;
    }
    sendError(res, 404, 'NAME_UNKNOWN');
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    return header.startsWith('Bearer ') && tokens.get(header.slice(7)) === true;
  }

  function issueToken(
    req: IncomingMessage,
    res: ServerResponse,
    parsed: URL,
  ): void {
    const expected = options.auth
      ? `Basic ${Buffer.from(
          `${options.auth.username}:${options.auth.password}`,
        ).toString('base64')}`
      : undefined;
    // With only some repositories private, anyone gets a token, as on Docker
    // Hub: it just does not open those repositories.
    const anonymous =
      !req.headers.authorization && !!options.auth?.repositories;
    if (expected && req.headers.authorization !== expected && !anonymous) {
      send(
        res,
        401,
        JSON.stringify({ details: 'incorrect username or password' }),
        'application/json',
      );
      return;
    }
    if (!parsed.searchParams.get('scope')) {
      send(res, 400, 'scope required');
      return;
    }
    const token = randomBytes(16).toString('hex');
    tokens.set(token, !anonymous);
    send(
      res,
      200,
      JSON.stringify({ token, expires_in: 300 }),
      'application/json',
    );
  }

  async function upload(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    id: string,
    parsed: URL,
  ) {
    if (req.method === 'POST' && !id) {
      const uploadId = randomBytes(8).toString('hex');
      uploads.add(uploadId);
      res.writeHead(202, {
        location: `/v2/${name}/blobs/uploads/${uploadId}`,
        'docker-upload-uuid': uploadId,
      });
      res.end();
      return;
    }
    if (req.method === 'PUT' && uploads.has(id)) {
      const body = await readBody(req);
      const digest = parsed.searchParams.get('digest');
      if (!digest || sha256Digest(body) !== digest) {
        sendError(res, 400, 'DIGEST_INVALID');
        return;
      }
      uploads.delete(id);
      blobs.set(digest, body);
      res.writeHead(201, {
        location: `/v2/${name}/blobs/${digest}`,
        'docker-content-digest': digest,
      });
      res.end();
      return;
    }
    sendError(res, 404, 'BLOB_UPLOAD_UNKNOWN');
  }

  async function putManifest(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    reference: string,
  ) {
    const body = await readBody(req);
    const digest = sha256Digest(body);
    if (reference.startsWith('sha256:') && reference !== digest) {
      sendError(res, 400, 'DIGEST_INVALID');
      return;
    }
    let parsed: { layers?: { digest: string }[]; config?: { digest: string } };
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      sendError(res, 400, 'MANIFEST_INVALID');
      return;
    }
    const missing = [
      ...(parsed.layers ?? []),
      ...(parsed.config ? [parsed.config] : []),
    ].find(d => !blobs.has(d.digest));
    if (missing) {
      sendError(res, 400, 'MANIFEST_BLOB_UNKNOWN');
      return;
    }
    const mediaType = String(
      req.headers['content-type'] ??
        'application/vnd.oci.image.manifest.v1+json',
    );
    if (!manifests.has(name)) manifests.set(name, new Map());
    manifests.get(name)!.set(digest, { mediaType, bytes: body });
    if (!reference.startsWith('sha256:')) {
      if (!tags.has(name)) tags.set(name, new Map());
      tags.get(name)!.set(reference, digest);
    }
    res.writeHead(201, {
      location: `/v2/${name}/manifests/${digest}`,
      'docker-content-digest': digest,
    });
    res.end();
  }

  function referrers(
    res: ServerResponse,
    name: string,
    digest: string,
    artifactType: string | null,
  ) {
    const found = [];
    for (const [manifestDigest, stored] of manifests.get(name) ?? []) {
      let parsed: {
        subject?: { digest?: string };
        artifactType?: string;
        config?: { mediaType?: string };
        annotations?: Record<string, string>;
      };
      try {
        parsed = JSON.parse(stored.bytes.toString('utf8'));
      } catch {
        continue;
      }
      if (parsed.subject?.digest !== digest) continue;
      const type = parsed.artifactType ?? parsed.config?.mediaType;
      if (artifactType && type !== artifactType) continue;
      found.push({
        mediaType: stored.mediaType,
        digest: manifestDigest,
        size: stored.bytes.length,
        artifactType: type,
        ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
      });
    }
    res.writeHead(200, {
      'content-type': OCI_INDEX,
      ...(artifactType ? { 'oci-filters-applied': 'artifactType' } : {}),
    });
    res.end(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: found,
      }),
    );
  }

  return {
    url,
    host,
    requests,
    storageRequests,
    inject: fault => faults.push({ ...fault }),
    setReferrersApi: enabled => {
      referrersApi = enabled;
    },
    stop: async () => {
      await Promise.all([close(server), close(storage)]);
    },
  };
}

function record(req: IncomingMessage): RecordedRequest {
  return {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    ...(req.headers.authorization
      ? { authorization: req.headers.authorization }
      : {}),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain',
) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string) {
  send(
    res,
    status,
    JSON.stringify({ errors: [{ code, message: code.toLowerCase() }] }),
    'application/json',
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += chunk.length;
    if (total > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${host}:${address.port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise(resolve => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
