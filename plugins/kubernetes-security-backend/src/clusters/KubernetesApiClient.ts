import { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesSecurityCluster } from '@internal/plugin-kubernetes-security-node';
import type { ScanErrorType } from '@internal/plugin-kubernetes-security-common';
import fetch, { Headers, RequestInit } from 'node-fetch';

/** A failed API request, classified so reports can explain what is missing. */
export class KubernetesRequestError extends Error {
  constructor(
    readonly type: ScanErrorType,
    message: string,
    readonly statusCode?: number,
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
}

export interface KubernetesApiClientOptions {
  pageSize: number;
  requestTimeoutMs: number;
}

const METADATA_ONLY_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/**
 * Read-only access to one API server. `@kubernetes/client-node` builds the
 * TLS agent and credentials from the cluster config; requests never follow
 * redirects, so the bearer token cannot be forwarded to another origin.
 */
export class KubernetesApiClient {
  private readonly baseUrl: string;
  private fetchOptions?: Promise<RequestInit>;

  constructor(
    private readonly cluster: KubernetesSecurityCluster,
    private readonly options: KubernetesApiClientOptions,
  ) {
    this.baseUrl = cluster.url.replace(/\/$/, '');
  }

  private buildFetchOptions(): Promise<RequestInit> {
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
      users: [
        {
          name: 'kubernetes-security',
          token: this.cluster.serviceAccountToken,
        },
      ],
      contexts: [
        {
          name: this.cluster.name,
          cluster: this.cluster.name,
          user: 'kubernetes-security',
        },
      ],
      currentContext: this.cluster.name,
    });
    return kubeConfig.applyToFetchOptions({}) as Promise<RequestInit>;
  }

  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    init: {
      query?: Record<string, string | undefined>;
      accept?: string;
      body?: unknown;
    } = {},
  ): Promise<T> {
    this.fetchOptions ??= this.buildFetchOptions();
    const base = await this.fetchOptions;
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, value);
    }
    // client-node returns a Headers instance carrying the Authorization header.
    const headers = new Headers(base.headers);
    headers.set('Accept', init.accept ?? 'application/json');
    if (init.body !== undefined)
      headers.set('Content-Type', 'application/json');
    let response;
    try {
      response = await fetch(url.toString(), {
        ...base,
        method,
        headers,
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.requestTimeoutMs) as any,
      });
    } catch (error) {
      const err = error as NodeJS.ErrnoException & { type?: string };
      if (err.name === 'AbortError' || err.name === 'TimeoutError') {
        throw new KubernetesRequestError(
          'TIMEOUT',
          `${method} ${path} timed out after ${this.options.requestTimeoutMs} ms`,
        );
      }
      throw new KubernetesRequestError(
        'UNREACHABLE',
        `Cannot reach ${url.host}: ${err.code ?? err.message}`,
      );
    }
    if (response.status >= 300 && response.status < 400) {
      throw new KubernetesRequestError(
        'BAD_RESPONSE',
        `${method} ${path} answered with a redirect (${response.status}); redirects are not followed`,
        response.status,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new KubernetesRequestError(
        STATUS_TYPES[response.status] ?? 'BAD_RESPONSE',
        statusMessage(text) ??
          `${method} ${path} failed with HTTP ${response.status}`,
        response.status,
      );
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

  /** Lists every item of a collection, following `continue` tokens. */
  async listAll<T>(path: string, options: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.request<{
        items?: T[];
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
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }
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
