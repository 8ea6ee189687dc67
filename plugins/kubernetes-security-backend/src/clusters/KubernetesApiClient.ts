import { KubeConfig } from '@kubernetes/client-node';
import type {
  KubernetesSecurityCluster,
  KubernetesSecurityCredential,
} from '@internal/plugin-kubernetes-security-node';
import type { ScanErrorType } from '@internal/plugin-kubernetes-security-common';
import type { Agent } from 'node:http';
import { isIP } from 'node:net';
import fetch, { Headers, RequestInit } from 'node-fetch';
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
  /** Resolves host names for clusters with `refuseAddress`; DNS by default. */
  lookup?: HostLookup;
}

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
 * another origin.
 */
export class KubernetesApiClient {
  private readonly baseUrl: string;
  private fetchOptions?: { init: Promise<RequestInit>; expiresAt: number };

  constructor(
    private readonly cluster: KubernetesSecurityCluster,
    private readonly options: KubernetesApiClientOptions,
  ) {
    this.baseUrl = cluster.url.replace(/\/$/, '');
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

  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    init: {
      query?: Record<string, string | undefined>;
      accept?: string;
      body?: unknown;
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
    const base = await this.currentFetchOptions();
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
      const code = err.code ?? '';
      if (code === REFUSED_ADDRESS_CODE) {
        throw new KubernetesRequestError(
          'CONFIGURATION',
          `Refused to connect to ${url.host}: ${err.message.replace(
            /^.*reason: /,
            '',
          )}`,
        );
      }
      // Certificate problems need a configuration change, not a retry.
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
        throw new KubernetesRequestError(
          'CONFIGURATION',
          `TLS verification of ${url.host} failed (${code}): give the cluster's CA as caData or caFile (skipTLSVerify only for throwaway clusters)`,
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
