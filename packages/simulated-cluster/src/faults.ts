import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './status';

/** What a faulty API server does with a request. */
export type FaultAnswer =
  /** An error status with the apiserver's `Status` body: 503, 500, or 429 with `Retry-After`. */
  | { type: 'status'; code: number; retryAfterSeconds?: number }
  /** 200 with a body cut off in the middle of a JSON document. */
  | { type: 'garbage' }
  /** Reads the request and never answers. */
  | { type: 'stall' }
  /** Closes the connection without answering. */
  | { type: 'drop' }
  /** Stops the server: every connection is dropped and new ones are refused until `restart()`. */
  | { type: 'die' };

/** The request a fault may apply to. */
export interface FaultRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export type Fault = FaultAnswer & {
  /** Only requests this accepts; default every request. */
  match?: (request: FaultRequest) => boolean;
  /** How many matching requests get the fault; default every one until `clearFaults()`. */
  times?: number;
};

const STATUS_REASONS: Record<number, { reason: string; message: string }> = {
  429: {
    reason: 'TooManyRequests',
    message: 'Too many requests, please try again later.',
  },
  500: { reason: 'InternalError', message: 'Internal error occurred' },
  503: {
    reason: 'ServiceUnavailable',
    message: 'The server is currently unable to handle the request',
  },
  504: { reason: 'Timeout', message: 'The server was unable to respond' },
};

/** Faults waiting for the requests they match, first injected first. */
export class FaultInjector {
  private faults: { fault: Fault; remaining: number }[] = [];

  inject(fault: Fault): void {
    this.faults.push({ fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault this request gets, if any, counting it as used. */
  take(request: FaultRequest): FaultAnswer | undefined {
    const entry = this.faults.find(
      ({ fault }) => !fault.match || fault.match(request),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      this.faults = this.faults.filter(other => other !== entry);
    }
    return entry.fault;
  }
}

/** Answers a request the faulty way; `die` stops the whole server. */
export function answerWithFault(
  answer: FaultAnswer,
  request: IncomingMessage,
  response: ServerResponse,
  die: () => void,
): number {
  switch (answer.type) {
    case 'status': {
      const known = STATUS_REASONS[answer.code] ?? {
        reason: 'InternalError',
        message: `Simulated failure ${answer.code}`,
      };
      const status = new ApiError(
        answer.code,
        known.reason,
        known.message,
      ).toStatus();
      response.writeHead(answer.code, {
        'Content-Type': 'application/json',
        ...(answer.retryAfterSeconds !== undefined
          ? { 'Retry-After': String(answer.retryAfterSeconds) }
          : {}),
      });
      response.end(JSON.stringify(status));
      return answer.code;
    }
    case 'garbage':
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"kind":"List","items":[{"metadata":{"name":');
      return 200;
    case 'stall':
      // Drain the request so the client sees it as sent, then say nothing.
      request.resume();
      return 0;
    case 'drop':
      request.socket.destroy();
      return 0;
    case 'die':
      die();
      return 0;
    default:
      // Reachable from plain JavaScript callers only.
      throw new Error(
        `Unknown fault type ${(answer as { type: unknown }).type}`,
      );
  }
}
