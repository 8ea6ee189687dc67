import { request } from 'node:https';

export interface RawResponse {
  status: number;
  body: string;
  /** The parsed body; undefined when it is not JSON. */
  json: any;
}

/**
 * A plain HTTPS request with a bearer token, independent of the plugin's
 * client: used to seed the API server and to look at raw responses.
 * `ca` undefined means "do not verify" (only for readiness polling).
 */
export function rawRequest(
  url: string,
  options: {
    token: string;
    ca?: string;
    method?: string;
    body?: unknown;
    accept?: string;
    timeoutMs?: number;
  },
): Promise<RawResponse> {
  return new Promise((resolveResponse, reject) => {
    const payload =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ...(options.ca ? { ca: options.ca } : { rejectUnauthorized: false }),
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: options.accept ?? 'application/json',
          ...(payload
            ? {
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolveResponse({ status: res.statusCode ?? 0, body, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${options.method ?? 'GET'} ${url} timed out`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}
