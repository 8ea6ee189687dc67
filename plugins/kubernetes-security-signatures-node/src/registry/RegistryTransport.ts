import type { LookupFunction } from 'node:net';
import { registryApiHost } from '../imageReference';
import { RegistryAccessPolicy } from './addressPolicy';
import type { RegistryAccessOptions } from './addressPolicy';
import { GuardedHttp } from './GuardedHttp';
import { HostLimiter } from './HostLimiter';
import { isRegistryError, RegistryError } from './RegistryError';

/** How requests reach registries: addresses, limits, timeouts and retries. */
export interface RegistryTransportOptions {
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

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  /** Only token requests have one, and it carries a credential. */
  body?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * Requests to registries and their token services: redirects followed by
 * hand so credentials never cross origins, a per-host concurrency limit, a
 * timeout per request, a back-off for hosts that do not answer, and every
 * connection, redirects included, only where the access policy allows.
 */
export class RegistryTransport {
  private readonly limiter: HostLimiter;
  private readonly access: RegistryAccessPolicy;
  private readonly http: GuardedHttp;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly unreachableBackoffMs: number;
  private readonly unreachable = new Map<
    string,
    { until: number; reason: string }
  >();

  constructor(private readonly options: RegistryTransportOptions = {}) {
    this.limiter = new HostLimiter(options.maxConcurrencyPerHost ?? 4);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.unreachableBackoffMs = options.unreachableBackoffMs ?? 60_000;
    this.access = new RegistryAccessPolicy(options.access);
    this.http = new GuardedHttp(this.access, options.lookup);
  }

  /** The URL of `/v2/<repository>/<path>` on the registry or its configured endpoint. */
  apiUrl(registry: string, repository: string, path: string): URL {
    const endpoint = this.options.endpoints?.get(registry);
    const apiHost = registryApiHost(registry);
    const base = (endpoint ?? `${this.scheme(apiHost)}://${apiHost}`).replace(
      /\/+$/,
      '',
    );
    return new URL(`${base}/v2/${repository}/${path}`);
  }

  /** Runs `task` once fewer than the per-host limit of requests are in flight. */
  withinHostLimit<T>(host: string, task: () => Promise<T>): Promise<T> {
    return this.limiter.run(host, task);
  }

  /** How long to wait before retrying this answer, or `undefined` to not retry it. */
  retryDelayMs(response: Response, attempt: number): number | undefined {
    if (response.status !== 429 && response.status !== 503) return undefined;
    if (attempt >= this.maxRetries) return undefined;
    const wait = retryAfterMs(response.headers.get('retry-after'));
    return wait <= this.maxRetryAfterMs ? wait : undefined;
  }

  /** Refuses a token realm the access policy does not allow for `registry`. */
  checkTokenRealm(registry: URL, realm: URL): void {
    this.access.checkTokenRealm(registry, realm);
  }

  scheme(host: string): 'http' | 'https' {
    const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const loopback =
      name === 'localhost' ||
      name === '::1' ||
      /^127\.\d+\.\d+\.\d+$/.test(name);
    return loopback || this.options.insecureHosts?.includes(host)
      ? 'http'
      : 'https';
  }

  /**
   * Follows redirects by hand: registries send blobs to storage on another
   * host, and the Authorization header must not go there.
   */
  async fetch(url: URL, init: TransportRequest): Promise<Response> {
    const origin = url.origin;
    let current = url;
    let headers = { ...init.headers };
    for (let hop = 0; ; hop++) {
      const down = this.unreachable.get(current.host);
      if (down && down.until > Date.now()) {
        throw new RegistryError(
          'unreachable',
          `${current.host} could not be reached: ${
            down.reason
          } (not retried for ${Math.round(
            this.unreachableBackoffMs / 1000,
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
          until: Date.now() + this.unreachableBackoffMs,
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
}

/** Reads a body, refusing more than `limit` bytes (hostile registries). */
export async function readLimited(
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

function describeNetworkError(error: unknown): string {
  // The request's AbortSignal.timeout() aborts it with an AbortError.
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  if (error instanceof Error)
    return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}
