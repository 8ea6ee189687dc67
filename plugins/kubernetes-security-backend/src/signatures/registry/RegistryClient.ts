import { createHash } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { registryApiHost } from '../imageReference';
import { ACCESS_SETTINGS, RegistryAccessPolicy } from './addressPolicy';
import type { RegistryAccessOptions } from './addressPolicy';
import { parseChallenge } from './challenge';
import { basicAuthorization } from './credentials';
import type { CredentialSet, RegistryCredentials } from './credentials';
import { GuardedHttp } from './GuardedHttp';
import { HostLimiter } from './HostLimiter';
import { isRegistryError, RegistryError } from './RegistryError';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST =
  'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST =
  'application/vnd.docker.distribution.manifest.list.v2+json';
const MANIFEST_ACCEPT = [
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST,
].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** A manifest or index whose bytes hash to `digest`. */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: {
    mediaType?: string;
    artifactType?: string;
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
    subject?: Descriptor;
    annotations?: Record<string, string>;
  };
}

export interface RepositoryRef {
  /** Canonical registry, e.g. `docker.io`. */
  registry: string;
  repository: string;
}

export interface RegistryClientOptions {
  /** Credentials from backend config, by canonical registry host. */
  credentials?: CredentialSet;
  /**
   * Hosts spoken to over plain HTTP. Loopback hosts always are, as with
   * Docker's default insecure registries.
   */
  insecureHosts?: string[];
  /**
   * Where to reach a registry instead of its own host, e.g. a pull-through
   * mirror or, in the demo, `registry.k8s.io` served locally.
   */
  endpoints?: Map<string, string>;
  timeoutMs?: number;
  maxConcurrencyPerHost?: number;
  /** Retries after 429 or 503, honouring `Retry-After` up to `maxRetryAfterMs`. */
  maxRetries?: number;
  maxRetryAfterMs?: number;
  /** Largest manifest, index or referrers list read. Default 4 MiB. */
  maxManifestBytes?: number;
  /**
   * Largest blob read; the client only reads signature payloads and
   * bundles. Default 256 KiB.
   */
  maxBlobBytes?: number;
  /**
   * Which hosts and addresses may be contacted. By default any but loopback,
   * link-local and cloud metadata addresses.
   */
  access?: RegistryAccessOptions;
  /**
   * Resolves host names; each address it returns is checked against
   * `access` before connecting. Default: the system resolver.
   */
  lookup?: LookupFunction;
  /**
   * After a host fails to answer at all (refused, DNS, timeout), later
   * requests to it fail at once for this long instead of each waiting for
   * the same timeout: an unreachable registry costs one timeout per scan,
   * not one per image. Default 60 s.
   */
  unreachableBackoffMs?: number;
}

interface CachedToken {
  authorization: string;
  expiresAt: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/**
 * A thin OCI distribution client: bearer/basic challenges, redirects followed
 * by hand so credentials never cross origins, HEAD before GET, every manifest
 * and blob checked against its digest, bounded sizes, retries on 429/503, a
 * per-host concurrency limit and a timeout per request. Every connection,
 * redirects and token services included, goes only where the access policy
 * allows.
 */
export class RegistryClient {
  private readonly limiter: HostLimiter;
  private readonly access: RegistryAccessPolicy;
  private readonly http: GuardedHttp;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly manifests = new Map<string, FetchedManifest>();
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxManifestBytes: number;
  private readonly maxBlobBytes: number;
  private readonly unreachable = new Map<
    string,
    { until: number; reason: string }
  >();

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.limiter = new HostLimiter(options.maxConcurrencyPerHost ?? 4);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024;
    this.maxBlobBytes = options.maxBlobBytes ?? 256 * 1024;
    this.access = new RegistryAccessPolicy(options.access);
    this.http = new GuardedHttp(this.access, options.lookup);
  }

  private unreachableBackoffMs() {
    return this.options.unreachableBackoffMs ?? 60_000;
  }

  /**
   * The digest a tag (or digest) points at, by HEAD: Docker Hub counts GETs,
   * not HEADs, against its pull rate limit. `undefined` when it does not exist.
   */
  async resolve(
    repo: RepositoryRef,
    reference: string,
    credentials?: CredentialSet,
  ): Promise<{ digest: string; mediaType?: string } | undefined> {
    const response = await this.send(repo, `manifests/${reference}`, {
      method: 'HEAD',
      accept: MANIFEST_ACCEPT,
      credentials,
    });
    if (response.status === 404) return undefined;
    this.assertOk(response, repo, `manifest ${reference}`);
    const digest = response.headers.get('docker-content-digest');
    const mediaType = response.headers.get('content-type') ?? undefined;
    if (digest && /^sha256:[a-f0-9]{64}$/.test(digest))
      return { digest, mediaType };
    // Registries need not send the digest on HEAD: fetch and hash instead.
    const fetched = await this.getManifest(repo, reference, credentials);
    return fetched && { digest: fetched.digest, mediaType: fetched.mediaType };
  }

  /** A manifest by tag or digest, digest-checked; `undefined` on 404. */
  async getManifest(
    repo: RepositoryRef,
    reference: string,
    credentials?: CredentialSet,
  ): Promise<FetchedManifest | undefined> {
    const cacheKey = `${repo.registry}/${repo.repository}@${reference}`;
    const cached = this.manifests.get(cacheKey);
    if (cached) return cached;
    const response = await this.send(repo, `manifests/${reference}`, {
      method: 'GET',
      accept: MANIFEST_ACCEPT,
      credentials,
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    this.assertOk(response, repo, `manifest ${reference}`);
    const bytes = await readLimited(response, {
      limit: this.maxManifestBytes,
      what: `${repo.registry}/${repo.repository}: manifest ${reference}`,
      setting: `${ACCESS_SETTINGS}.maxManifestBytes`,
    });
    const digest = sha256(bytes);
    const expected = reference.startsWith('sha256:')
      ? reference
      : response.headers.get('docker-content-digest');
    if (expected && expected !== digest)
      throw new RegistryError(
        'invalid',
        `${repo.registry}/${repo.repository}: manifest ${reference} hashes to ${digest}, not ${expected}`,
      );
    let manifest: FetchedManifest['manifest'];
    try {
      manifest = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError('invalid', `manifest ${digest} is not JSON`);
    }
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
      throw new RegistryError('invalid', `manifest ${digest} is not an object`);
    const fetched: FetchedManifest = {
      digest,
      mediaType:
        manifest.mediaType ??
        response.headers.get('content-type')?.split(';')[0] ??
        OCI_MANIFEST,
      bytes,
      manifest,
    };
    // Content-addressed manifests never change; tags can.
    if (reference.startsWith('sha256:')) this.manifests.set(cacheKey, fetched);
    return fetched;
  }

  /** A blob, digest-checked and size-bounded. */
  async getBlob(
    repo: RepositoryRef,
    digest: string,
    credentials?: CredentialSet,
  ): Promise<Buffer> {
    const response = await this.send(repo, `blobs/${digest}`, {
      method: 'GET',
      credentials,
    });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RegistryError('not-found', `blob ${digest} not found`, 404);
    }
    this.assertOk(response, repo, `blob ${digest}`);
    const bytes = await readLimited(response, {
      limit: this.maxBlobBytes,
      what: `${repo.registry}/${repo.repository}: blob ${digest}`,
      setting: `${ACCESS_SETTINGS}.maxBlobBytes`,
    });
    if (sha256(bytes) !== digest)
      throw new RegistryError(
        'invalid',
        `blob ${digest} does not match its digest`,
      );
    return bytes;
  }

  /**
   * The OCI 1.1 referrers of a digest. `supported: false` when the registry
   * has no referrers API (404), so the caller tries the tag-schema fallback.
   */
  async getReferrers(
    repo: RepositoryRef,
    digest: string,
    artifactType: string,
    credentials?: CredentialSet,
  ): Promise<{ supported: boolean; manifests: Descriptor[] }> {
    const response = await this.send(
      repo,
      `referrers/${digest}?artifactType=${encodeURIComponent(artifactType)}`,
      { method: 'GET', accept: OCI_INDEX, credentials },
    );
    if ([404, 405, 400].includes(response.status)) {
      await response.body?.cancel();
      return { supported: false, manifests: [] };
    }
    this.assertOk(response, repo, `referrers of ${digest}`);
    const bytes = await readLimited(response, {
      limit: this.maxManifestBytes,
      what: `${repo.registry}/${repo.repository}: referrers of ${digest}`,
      setting: `${ACCESS_SETTINGS}.maxManifestBytes`,
    });
    let index: { manifests?: unknown };
    try {
      index = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError('invalid', `referrers of ${digest} is not JSON`);
    }
    return { supported: true, manifests: descriptors(index?.manifests) };
  }

  private assertOk(
    response: Response,
    repo: RepositoryRef,
    what: string,
  ): void {
    if (response.ok) return;
    const name = `${repo.registry}/${repo.repository}`;
    response.body?.cancel().catch(() => undefined);
    if (response.status === 401 || response.status === 403)
      throw new RegistryError(
        'auth',
        `${name}: ${what} was refused (HTTP ${response.status}); configure credentials for ${repo.registry}`,
        response.status,
      );
    if (response.status === 429 || response.status >= 500)
      throw new RegistryError(
        'unreachable',
        `${name}: ${what} failed with HTTP ${response.status}${
          response.status === 429 ? ' (rate limited)' : ''
        }`,
        response.status,
      );
    if (response.status === 404)
      throw new RegistryError('not-found', `${name}: ${what} not found`, 404);
    throw new RegistryError(
      'invalid',
      `${name}: ${what} answered HTTP ${response.status}`,
      response.status,
    );
  }

  /** One API request with authentication and retries, within the host's limit. */
  private async send(
    repo: RepositoryRef,
    path: string,
    request: { method: string; accept?: string; credentials?: CredentialSet },
  ): Promise<Response> {
    const endpoint = this.options.endpoints?.get(repo.registry);
    const apiHost = registryApiHost(repo.registry);
    const base = (endpoint ?? `${this.scheme(apiHost)}://${apiHost}`).replace(
      /\/+$/,
      '',
    );
    const url = `${base}/v2/${repo.repository}/${path}`;
    const host = new URL(url).host;
    const scope = `repository:${repo.repository}:pull`;
    const credentials =
      request.credentials?.get(repo.registry) ??
      this.options.credentials?.get(repo.registry);
    const tokenKey = `${host}|${scope}|${credentialKey(credentials)}`;
    return this.limiter.run(host, async () => {
      let authorization = this.cachedToken(tokenKey);
      let challenged = false;
      for (let attempt = 0; ; attempt++) {
        const headers: Record<string, string> = {};
        if (request.accept) headers.accept = request.accept;
        if (authorization) headers.authorization = authorization;
        const response = await this.fetchFollowingRedirects(url, {
          method: request.method,
          headers,
        });
        if (response.status === 401 && !challenged) {
          challenged = true;
          await response.body?.cancel();
          authorization = await this.answerChallenge(
            new URL(url),
            response.headers.get('www-authenticate'),
            scope,
            credentials,
          );
          if (authorization) {
            this.tokens.set(tokenKey, {
              authorization,
              expiresAt: Date.now() + 50_000,
            });
            continue;
          }
          throw new RegistryError(
            'auth',
            `${repo.registry}/${repo.repository}: the registry asks for credentials and none are configured for ${repo.registry}`,
            401,
          );
        }
        if (
          (response.status === 429 || response.status === 503) &&
          attempt < this.maxRetries
        ) {
          const wait = retryAfterMs(response.headers.get('retry-after'));
          if (wait <= this.maxRetryAfterMs) {
            await response.body?.cancel();
            await delay(wait);
            continue;
          }
        }
        return response;
      }
    });
  }

  private cachedToken(key: string): string | undefined {
    const token = this.tokens.get(key);
    if (token && token.expiresAt > Date.now()) return token.authorization;
    this.tokens.delete(key);
    return undefined;
  }

  /** The Authorization header that answers a 401's challenge, if we can. */
  private async answerChallenge(
    registry: URL,
    header: string | null,
    scope: string,
    credentials: RegistryCredentials | undefined,
  ): Promise<string | undefined> {
    const challenge = parseChallenge(header);
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic')
      return credentials && basicAuthorization(credentials);
    if (challenge.scheme !== 'bearer' || !challenge.params.realm)
      return undefined;
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new RegistryError(
        'invalid',
        `invalid token realm "${challenge.params.realm}"`,
      );
    }
    // Credentials go to the realm the registry names; never over plain HTTP
    // unless the registry itself is spoken to that way (loopback, opt-in).
    if (
      realm.protocol !== 'https:' &&
      !(realm.protocol === 'http:' && this.scheme(realm.host) === 'http')
    )
      throw new RegistryError(
        'invalid',
        `refusing token realm ${realm.origin}: not https`,
      );
    this.access.checkTokenRealm(registry, realm);
    if (challenge.params.service)
      realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    let method = 'GET';
    let body: string | undefined;
    if (credentials?.identityToken) {
      // OAuth2 refresh-token grant, as docker does for identity tokens.
      method = 'POST';
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.identityToken,
        service: challenge.params.service ?? '',
        scope: challenge.params.scope ?? scope,
        client_id: 'kubernetes-security',
      }).toString();
    } else if (credentials) {
      const basic = basicAuthorization(credentials);
      if (basic) headers.authorization = basic;
    }
    const response = await this.fetchFollowingRedirects(realm.toString(), {
      method,
      headers,
      body,
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new RegistryError(
        'auth',
        `the token service ${realm.origin} refused the credentials (HTTP ${response.status})`,
        response.status,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryError(
        response.status >= 500 || response.status === 429
          ? 'unreachable'
          : 'invalid',
        `the token service ${realm.origin} answered HTTP ${response.status}`,
        response.status,
      );
    }
    const bytes = await readLimited(response, {
      limit: MAX_TOKEN_RESPONSE_BYTES,
      what: `the answer of the token service ${realm.origin}`,
    });
    let token: unknown;
    try {
      const parsed = JSON.parse(bytes.toString('utf8'));
      token = parsed?.token ?? parsed?.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token || /[\r\n]/.test(token))
      throw new RegistryError(
        'invalid',
        `the token service ${realm.origin} sent no token`,
      );
    return `Bearer ${token}`;
  }

  /**
   * Follows redirects by hand: registries send blobs to storage on another
   * host, and the Authorization header must not go there.
   */
  private async fetchFollowingRedirects(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<Response> {
    const origin = new URL(url).origin;
    let current = new URL(url);
    let headers = { ...init.headers };
    for (let hop = 0; ; hop++) {
      const down = this.unreachable.get(current.host);
      if (down && down.until > Date.now()) {
        throw new RegistryError(
          'unreachable',
          `${current.host} could not be reached: ${
            down.reason
          } (not retried for ${Math.round(
            this.unreachableBackoffMs() / 1000,
          )} s)`,
        );
      }
      let response: Response;
      try {
        response = await this.http.request(current, {
          method: init.method,
          headers,
          body: init.body,
          timeoutMs: this.timeoutMs,
        });
      } catch (error) {
        if (isRegistryError(error)) throw error;
        const reason = describeNetworkError(error);
        this.unreachable.set(current.host, {
          until: Date.now() + this.unreachableBackoffMs(),
          reason,
        });
        throw new RegistryError(
          'unreachable',
          `${current.host} could not be reached: ${reason}`,
        );
      }
      this.unreachable.delete(current.host);
      if (!REDIRECTS.has(response.status)) return response;
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (!location || hop >= MAX_REDIRECTS)
        throw new RegistryError(
          'invalid',
          `${current.host}: too many or empty redirects`,
        );
      const next = new URL(location, current);
      if (current.protocol === 'https:' && next.protocol !== 'https:')
        throw new RegistryError(
          'invalid',
          `${current.host} redirected to insecure ${next.origin}`,
        );
      if (next.origin !== origin) {
        // A body is only sent to token services, and carries a credential.
        if (init.body !== undefined)
          throw new RegistryError(
            'refused',
            `registry request refused: ${current.host} redirected a request carrying credentials to ${next.origin}`,
          );
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      current = next;
    }
  }

  private scheme(host: string): 'http' | 'https' {
    const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const loopback =
      name === 'localhost' ||
      name === '::1' ||
      /^127\.\d+\.\d+\.\d+$/.test(name);
    return loopback || this.options.insecureHosts?.includes(host)
      ? 'http'
      : 'https';
  }
}

function descriptors(value: unknown): Descriptor[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (d): d is Descriptor =>
      !!d &&
      typeof d === 'object' &&
      typeof d.digest === 'string' &&
      /^sha256:[a-f0-9]{64}$/.test(d.digest) &&
      typeof d.mediaType === 'string',
  );
}

function credentialKey(credentials: RegistryCredentials | undefined): string {
  if (!credentials) return 'anonymous';
  return createHash('sha256')
    .update(JSON.stringify(credentials))
    .digest('hex')
    .slice(0, 16);
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Reads a body, refusing more than `limit` bytes (hostile registries). */
async function readLimited(
  response: Response,
  bound: { limit: number; what: string; setting?: string },
): Promise<Buffer> {
  const { limit } = bound;
  const tooLarge = (declared?: number) =>
    new RegistryError(
      'too-large',
      `registry response refused: ${bound.what} ${
        declared ? `is ${declared} bytes, over` : 'exceeds'
      } the ${limit}-byte limit${bound.setting ? ` (${bound.setting})` : ''}`,
    );
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge(declared);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(Buffer.from(value));
    }
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    throw new RegistryError(
      'unreachable',
      `reading the response failed: ${describeNetworkError(error)}`,
    );
  }
  return Buffer.concat(chunks);
}

function retryAfterMs(header: string | null): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function describeNetworkError(error: unknown): string {
  // The request's AbortSignal.timeout() aborts it with an AbortError.
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  if (error instanceof Error)
    return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}
