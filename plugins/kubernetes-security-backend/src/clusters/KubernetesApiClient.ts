import { KubeConfig } from '@kubernetes/client-node';
import type {
  KubernetesSecurityCluster,
  KubernetesSecurityCredential,
} from '@internal/plugin-kubernetes-security-node';
import type { ScanErrorType } from '@internal/plugin-kubernetes-security-common';
import type { Agent } from 'node:http';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fetch, { Headers, RequestInit, Response } from 'node-fetch';
import {
  guardedLookup,
  HostLookup,
  REFUSED_ADDRESS_CODE,
} from './urlValidation';

/** A failed API request, classified so reports can explain what is missing. */
export class KubernetesRequestError extends Error {
  constructor(
    readonly type: ScanErrorType,
    message: string,
    readonly statusCode?: number,
    /** Worth another attempt (429, 5xx, a dropped connection), and when the server allows it. */
    readonly retry?: { afterMs?: number },
  ) {
    super(message);
    this.name = 'KubernetesRequestError';
  }
}

const STATUS_TYPES: Record<number, ScanErrorType> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
};

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Asks for `PartialObjectMetadataList`: names and labels, never values. */
  metadataOnly?: boolean;
  /** Applied to each item as its page arrives, so a whole list is never held untrimmed. */
  trim?: (item: any) => any;
}

export interface RetryPolicy {
  /** Attempts after the first one; 0 sends every request once. */
  retries: number;
  /** Wait before the first retry, doubled for each further one (with jitter). */
  initialDelayMs: number;
  /** Longest wait before a retry; a longer `Retry-After` ends the retries. */
  maxDelayMs: number;
}

export interface KubernetesApiClientOptions {
  pageSize: number;
  requestTimeoutMs: number;
  /** Largest response body read, counted after decompression. */
  maxResponseBytes?: number;
  /** Most pages one list may take. */
  maxListPages?: number;
  /** Retries of 429, 5xx and dropped connections, for requests safe to repeat. */
  retry?: RetryPolicy;
  /** Aborts every request of this client: the scan's cancellation or deadline. */
  signal?: AbortSignal;
  /** Resolves host names for clusters with `refuseAddress`; DNS by default. */
  lookup?: HostLookup;
}

export const KUBERNETES_CLIENT_DEFAULTS = {
  // A page of 500 Pods with managedFields is rarely above 25 MiB.
  maxResponseBytes: 64 * 1024 * 1024,
  // 500 000 objects of one kind at the default page size.
  maxListPages: 1000,
  retry: { retries: 3, initialDelayMs: 500, maxDelayMs: 30_000 },
} satisfies Partial<KubernetesApiClientOptions>;

// 429 and the 5xx a busy or restarting API server (or its load balancer) answers.
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
// Connections reset, refused or timed out: an API server restarting or a
// load balancer switching over.
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
// A Status body is small; a larger error body is not read.
const MAX_ERROR_BODY_BYTES = 64 * 1024;

const METADATA_ONLY_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

// Strategy tokens (AWS, Azure, Google) live 15 minutes or more: renewing
// after five keeps long scans authenticated without asking for every request.
const CREDENTIAL_TTL_MS = 5 * 60_000;

/**
 * Read-only access to one API server. Each request carries the credential of
 * the cluster's auth strategy (bearer token or client certificate);
 * `@kubernetes/client-node` builds the TLS agent from the cluster config.
 * Requests never follow redirects, so a credential cannot be forwarded to
 * another origin. Responses are bounded: bodies by size (after gzip), lists
 * by pages, every request by a timeout and by the scan's abort signal.
 */
export class KubernetesApiClient {
  private readonly baseUrl: string;
  private fetchOptions?: { init: Promise<RequestInit>; expiresAt: number };
  private readonly maxResponseBytes: number;
  private readonly maxListPages: number;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly cluster: KubernetesSecurityCluster,
    private readonly options: KubernetesApiClientOptions,
  ) {
    this.baseUrl = cluster.url.replace(/\/$/, '');
    this.maxResponseBytes =
      options.maxResponseBytes ?? KUBERNETES_CLIENT_DEFAULTS.maxResponseBytes;
    this.maxListPages =
      options.maxListPages ?? KUBERNETES_CLIENT_DEFAULTS.maxListPages;
    this.retry = options.retry ?? KUBERNETES_CLIENT_DEFAULTS.retry;
  }

  private async credential(): Promise<KubernetesSecurityCredential> {
    const { getCredential, serviceAccountToken, authProvider } = this.cluster;
    if (!getCredential) {
      return serviceAccountToken
        ? { type: 'bearer token', token: serviceAccountToken }
        : { type: 'anonymous' };
    }
    try {
      return await getCredential();
    } catch (error) {
      throw new KubernetesRequestError(
        'CONFIGURATION',
        `No credential from authProvider ${authProvider}: ${
          (error as Error).message
        }`,
      );
    }
  }

  private async buildFetchOptions(): Promise<RequestInit> {
    const credential = await this.credential();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: this.cluster.name,
          server: this.baseUrl,
          // There is no TLS to verify on plain http, which the URL validation
          // only accepts on loopback; client-node insists on the flag for it.
          skipTLSVerify:
            this.cluster.skipTLSVerify || this.baseUrl.startsWith('http:'),
          caData: this.cluster.caData,
          caFile: this.cluster.caFile,
        },
      ],
      users: [{ name: 'kubernetes-security', ...kubeConfigUser(credential) }],
      contexts: [
        {
          name: this.cluster.name,
          cluster: this.cluster.name,
          user: 'kubernetes-security',
        },
      ],
      currentContext: this.cluster.name,
    });
    const init = (await kubeConfig.applyToFetchOptions({})) as RequestInit;
    const { refuseAddress } = this.cluster;
    if (refuseAddress) {
      // Node agents pass their options to every socket they open.
      (init.agent as Agent & { options: object }).options = {
        ...(init.agent as Agent & { options: object }).options,
        lookup: guardedLookup(refuseAddress, this.options.lookup),
      };
    }
    return init;
  }

  /** Why the URL's IP literal may not be connected to (no DNS is asked for it). */
  private refusedLiteral(url: URL): string | undefined {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const reason = isIP(host) ? this.cluster.refuseAddress?.(host) : undefined;
    return reason && `${host} is ${reason}`;
  }

  private currentFetchOptions(): Promise<RequestInit> {
    const now = Date.now();
    if (!this.fetchOptions || this.fetchOptions.expiresAt <= now) {
      const init = this.buildFetchOptions();
      this.fetchOptions = { init, expiresAt: now + CREDENTIAL_TTL_MS };
      // A failed attempt is not cached: the next request asks again.
      init.catch(() => {
        if (this.fetchOptions?.init === init) this.fetchOptions = undefined;
      });
    }
    return this.fetchOptions.init;
  }

  /**
   * One API request. GETs, and POSTs marked `retrySafe` (reviews, which
   * create nothing), are retried on 429, 5xx and dropped connections with
   * backoff, waiting at least what `Retry-After` asks; other POSTs are sent
   * once. Timeouts are not retried: a stalled server would stall again.
   */
  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    init: {
      query?: Record<string, string | undefined>;
      accept?: string;
      body?: unknown;
      retrySafe?: boolean;
    } = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    const refused = this.refusedLiteral(url);
    if (refused) {
      throw new KubernetesRequestError(
        'CONFIGURATION',
        `Refused to connect to ${url.host}: ${refused}`,
      );
    }
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, value);
    }
    const retries = method === 'GET' || init.retrySafe ? this.retry.retries : 0;
    for (let attempt = 1; ; attempt++) {
      this.throwIfAborted(method, path);
      try {
        return await this.send<T>(method, path, url, init);
      } catch (error) {
        const retry = error instanceof KubernetesRequestError && error.retry;
        if (!retry || attempt > retries) throw withAttempts(error, attempt);
        const backoff =
          Math.min(
            this.retry.maxDelayMs,
            this.retry.initialDelayMs * 2 ** (attempt - 1),
          ) *
          (0.5 + Math.random() / 2);
        if ((retry.afterMs ?? 0) > this.retry.maxDelayMs) {
          throw new KubernetesRequestError(
            error.type,
            `${error.message}; the API server asks to retry after ${Math.ceil(
              retry.afterMs! / 1000,
            )} s, longer than a scan waits (${this.retry.maxDelayMs / 1000} s)`,
            error.statusCode,
          );
        }
        try {
          await sleep(Math.max(backoff, retry.afterMs ?? 0), undefined, {
            signal: this.options.signal,
          });
        } catch {
          this.throwIfAborted(method, path);
        }
      }
    }
  }

  private throwIfAborted(method: string, path: string) {
    const { signal } = this.options;
    if (signal?.aborted) {
      const reason =
        signal.reason instanceof Error
          ? signal.reason.message
          : String(signal.reason);
      throw new KubernetesRequestError(
        'TIMEOUT',
        `${method} ${path} aborted: ${reason}`,
      );
    }
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    url: URL,
    init: { accept?: string; body?: unknown },
  ): Promise<T> {
    const base = await this.currentFetchOptions();
    // client-node returns a Headers instance carrying the Authorization header.
    const headers = new Headers(base.headers);
    headers.set('Accept', init.accept ?? 'application/json');
    if (init.body !== undefined)
      headers.set('Content-Type', 'application/json');
    // Ours aborts a body over its size cap; the others time out or cancel.
    const stop = new AbortController();
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    const signal = AbortSignal.any(
      [stop.signal, timeout, this.options.signal].filter(
        (candidate): candidate is AbortSignal => candidate !== undefined,
      ),
    );
    const failed = (error: unknown, reading: boolean) => {
      this.throwIfAborted(method, path);
      if (timeout.aborted) {
        return new KubernetesRequestError(
          'TIMEOUT',
          `${method} ${path} timed out after ${this.options.requestTimeoutMs} ms`,
        );
      }
      return this.networkError(error, url, reading);
    };
    let response: Response;
    try {
      response = await fetch(url.toString(), {
        ...base,
        method,
        headers,
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        redirect: 'manual',
        // node-fetch checks the signal's class name, which the types do not know.
        signal: signal as any,
      });
    } catch (error) {
      throw failed(error, false);
    }
    if (response.status >= 300 && response.status < 400) {
      stop.abort();
      throw new KubernetesRequestError(
        'BAD_RESPONSE',
        `${method} ${path} answered with a redirect (${response.status}); redirects are not followed`,
        response.status,
      );
    }
    if (!response.ok) {
      const text = await readBody(response, MAX_ERROR_BODY_BYTES, stop).catch(
        () => undefined,
      );
      throw new KubernetesRequestError(
        STATUS_TYPES[response.status] ?? 'BAD_RESPONSE',
        (text !== undefined ? statusMessage(text) : undefined) ??
          `${method} ${path} failed with HTTP ${response.status}`,
        response.status,
        RETRYABLE_STATUS.has(response.status)
          ? { afterMs: parseRetryAfter(response.headers.get('Retry-After')) }
          : undefined,
      );
    }
    let text: string;
    try {
      text = await readBody(response, this.maxResponseBytes, stop);
    } catch (error) {
      if (error instanceof KubernetesRequestError) throw error;
      throw failed(error, true);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubernetesRequestError(
        'BAD_RESPONSE',
        `${method} ${path} returned invalid JSON`,
      );
    }
  }

  private networkError(
    error: unknown,
    url: URL,
    reading: boolean,
  ): KubernetesRequestError {
    const err = error as NodeJS.ErrnoException;
    const code = err.code ?? '';
    if (code === REFUSED_ADDRESS_CODE) {
      return new KubernetesRequestError(
        'CONFIGURATION',
        `Refused to connect to ${url.host}: ${err.message.replace(
          /^.*reason: /,
          '',
        )}`,
      );
    }
    // Certificate problems need a configuration change, not a retry.
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
      return new KubernetesRequestError(
        'CONFIGURATION',
        `TLS verification of ${url.host} failed (${code}): give the cluster's CA as caData or caFile (skipTLSVerify only for throwaway clusters)`,
      );
    }
    // zlib's codes: the body claims a compression it does not have.
    if (code.startsWith('Z_')) {
      return new KubernetesRequestError(
        'BAD_RESPONSE',
        `${url.host} sent a body that does not decompress (${code})`,
      );
    }
    const retry = RETRYABLE_NETWORK_CODES.has(code) ? {} : undefined;
    return new KubernetesRequestError(
      'UNREACHABLE',
      reading
        ? `Connection to ${url.host} lost while reading ${url.pathname}: ${
            code || err.message
          }`
        : `Cannot reach ${url.host}: ${code || err.message}`,
      undefined,
      retry,
    );
  }

  /**
   * Lists every item of a collection, following `continue` tokens up to
   * `maxListPages` pages; a server repeating a token is not followed round.
   */
  async listAll<T>(path: string, options: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    const tokensSeen = new Set<string>();
    let continueToken: string | undefined;
    for (let page = 1; ; page++) {
      const list = await this.request<{
        items?: T[] | null;
        metadata?: { continue?: string };
      }>('GET', path, {
        query: {
          limit: String(this.options.pageSize),
          continue: continueToken,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
        },
        accept: options.metadataOnly ? METADATA_ONLY_ACCEPT : undefined,
      });
      // Go serves an empty list's items as null.
      if (
        list.items !== null &&
        list.items !== undefined &&
        !Array.isArray(list.items)
      ) {
        throw new KubernetesRequestError(
          'BAD_RESPONSE',
          `GET ${path} returned no list`,
        );
      }
      const pageItems = list.items ?? [];
      for (const item of pageItems) {
        items.push(options.trim ? options.trim(item) : item);
      }
      continueToken = list.metadata?.continue || undefined;
      if (!continueToken) return items;
      if (page >= this.maxListPages) {
        throw new KubernetesRequestError(
          'BAD_RESPONSE',
          `GET ${path} has more than ${this.maxListPages} pages of ${this.options.pageSize} items; not read further (see kubernetesSecurity.maxListPages)`,
        );
      }
      if (tokensSeen.has(continueToken)) {
        throw new KubernetesRequestError(
          'BAD_RESPONSE',
          `GET ${path}: the API server repeated a continue token, so the list would never end`,
        );
      }
      tokensSeen.add(continueToken);
    }
  }
}

/**
 * The body as text, at most `limit` bytes after decompression (node-fetch
 * has already piped it through gunzip): a larger body aborts the request
 * at once instead of being read, and inflated, to its end.
 */
async function readBody(
  response: Response,
  limit: number,
  stop: AbortController,
): Promise<string> {
  const tooLarge = () => {
    stop.abort();
    return new KubernetesRequestError(
      'BAD_RESPONSE',
      `The response to ${
        new URL(response.url).pathname
      } is larger than ${limit} bytes; not read (see kubernetesSecurity.maxResponseBytes, or lower pageSize)`,
    );
  };
  const declared = Number(response.headers.get('Content-Length'));
  if (!response.headers.has('Content-Encoding') && declared > limit) {
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The final error of a request tried more than once says so. */
function withAttempts(error: unknown, attempts: number): unknown {
  if (attempts === 1 || !(error instanceof KubernetesRequestError)) {
    return error;
  }
  return new KubernetesRequestError(
    error.type,
    `${error.message} (${attempts} attempts)`,
    error.statusCode,
  );
}

/** The `message` of a Kubernetes `Status` body, if the body is one. */
function statusMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body);
    return parsed?.kind === 'Status' && typeof parsed.message === 'string'
      ? parsed.message
      : undefined;
  } catch {
    return undefined;
  }
}

/** The kubeconfig user for a credential; client-node wants PEM as base64. */
function kubeConfigUser(credential: KubernetesSecurityCredential) {
  switch (credential.type) {
    case 'bearer token':
      return { token: credential.token };
    case 'x509 client certificate':
      return {
        certData: Buffer.from(credential.cert).toString('base64'),
        keyData: Buffer.from(credential.key).toString('base64'),
      };
    default:
      return {};
  }
}
