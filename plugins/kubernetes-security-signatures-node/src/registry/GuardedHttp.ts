import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { RegistryAccessPolicy } from './addressPolicy';
import { RegistryError } from './RegistryError';

export interface GuardedRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);
// Some registries and CDNs turn away requests without one.
const USER_AGENT = 'backstage-kubernetes-security';

/**
 * One HTTP(S) request, without following redirects, whose connection goes
 * only where the access policy allows. Node's fetch has no hook between
 * resolving a name and connecting; node:http has: its agents take the
 * policy's resolver, so every connection, kept-alive ones included, was
 * checked against the addresses it actually uses.
 */
export class GuardedHttp {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly policy: RegistryAccessPolicy,
    lookup?: LookupFunction,
  ) {
    const guarded = policy.guardLookup(lookup);
    this.httpAgent = new http.Agent({ keepAlive: true, lookup: guarded });
    this.httpsAgent = new https.Agent({ keepAlive: true, lookup: guarded });
  }

  /**
   * Rejects with a `refused` RegistryError when the policy forbids the URL or
   * an address it resolves to, and with the socket's error otherwise.
   */
  request(url: URL, init: GuardedRequest): Promise<Response> {
    this.policy.checkUrl(url);
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        {
          method: init.method,
          headers: { 'user-agent': USER_AGENT, ...init.headers },
          agent: secure ? this.httpsAgent : this.httpAgent,
          signal: AbortSignal.timeout(init.timeoutMs),
        },
        incoming => {
          try {
            resolve(toResponse(incoming, init.method));
          } catch (error) {
            incoming.destroy();
            reject(error);
          }
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
  }
}

/** The answer as a fetch `Response`, its body streamed from the socket. */
function toResponse(incoming: IncomingMessage, method: string): Response {
  const status = incoming.statusCode ?? 0;
  if (status < 200 || status > 599)
    throw new RegistryError('invalid', `answered with HTTP status ${status}`);
  const headers = new Headers();
  try {
    for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2)
      headers.append(incoming.rawHeaders[i], incoming.rawHeaders[i + 1]);
  } catch {
    throw new RegistryError('invalid', 'answered with malformed headers');
  }
  if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    incoming.resume();
    return new Response(null, { status, headers });
  }
  return new Response(Readable.toWeb(incoming) as ReadableStream<Uint8Array>, {
    status,
    headers,
  });
}
