/*
 * Sends one load phase of entity views to the backend and times each answer.
 * It runs on a worker thread: the main thread also serves the simulated
 * clusters, and their work must not show up as view latency.
 */
import { Agent, request } from 'node:http';
import { parentPort } from 'node:worker_threads';

export interface ViewRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadPhase {
  baseUrl: string;
  /** Sent in turn, wrapping around. */
  requests: ViewRequest[];
  concurrency: number;
  maxRequests: number;
  /** No request starts after this many seconds. */
  maxSeconds: number;
}

export interface LoadResult {
  /** Sorted, in milliseconds. */
  latenciesMs: number[];
  failures: number;
  /** Response body bytes as they came over the wire (compressed when the backend compressed them). */
  wireBytes: number;
  seconds: number;
}

// What Chromium sends, so that the backend compresses as it would for the app.
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

function send(
  agent: Agent,
  baseUrl: string,
  view: ViewRequest,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolvePromise, reject) => {
    const outgoing = request(
      new URL(view.path, baseUrl),
      {
        agent,
        method: view.method,
        headers: {
          ...view.headers,
          'Accept-Encoding': BROWSER_ACCEPT_ENCODING,
          ...(view.body
            ? { 'Content-Length': Buffer.byteLength(view.body) }
            : {}),
        },
      },
      response => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on('end', () =>
          resolvePromise({ status: response.statusCode ?? 0, bytes }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(view.body);
  });
}

export async function runLoadPhase(phase: LoadPhase): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: phase.concurrency });
  const latenciesMs: number[] = [];
  let failures = 0;
  let wireBytes = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + phase.maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: phase.concurrency }, async () => {
      while (next < phase.maxRequests && performance.now() < deadline) {
        const view = phase.requests[next++ % phase.requests.length];
        const t0 = performance.now();
        try {
          const { status, bytes } = await send(agent, phase.baseUrl, view);
          wireBytes += bytes;
          if (status < 200 || status >= 300) failures++;
        } catch {
          failures++;
        }
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    latenciesMs: latenciesMs.sort((a, b) => a - b),
    failures,
    wireBytes,
    seconds,
  };
}

parentPort?.on('message', (phase: LoadPhase) => {
  runLoadPhase(phase).then(
    result => parentPort!.postMessage(result),
    error => parentPort!.postMessage({ error: String(error) }),
  );
});
