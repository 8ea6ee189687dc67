import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Answers one batch of one caller's lookups, in the order of `items`. */
export type BatchLookup<Item, Answer> = (
  items: Item[],
  credentials: BackstageCredentials,
) => Promise<Answer[]>;

export interface CallerBatchesOptions {
  maxBatchSize: number;
  /**
   * How long an answer is reused for the same caller and item; 0 asks anew
   * for every lookup. Answers are never reused past the caller's token.
   */
  reuseForMs: number;
  /** Answers kept for reuse, all callers together. */
  maxReusedAnswers?: number;
}

interface QueuedBatch<Item, Answer> {
  credentials: BackstageCredentials;
  items: Item[];
  waiters: {
    resolve(answer: Answer): void;
    reject(error: unknown): void;
  }[];
}

const DEFAULT_MAX_REUSED_ANSWERS = 50_000;

/**
 * Turns many lookups of one caller (say, "may this token read this entity?")
 * into few requests to the service that decides them.
 *
 * Concurrent lookups join the caller's next batch, never one already sent, so
 * the batch's answer comes from a request made after they arrived. An answer
 * may then be reused for the same caller and item for `reuseForMs`, and never
 * after the caller's credentials expire. A caller is the exact token it
 * presented; lookups without one are sent alone and never reused.
 */
export function createCallerBatches<Item extends string | undefined, Answer>(
  lookup: BatchLookup<Item, Answer>,
  options: CallerBatchesOptions,
): (
  caller: string | undefined,
  credentials: BackstageCredentials,
  item: Item,
) => Promise<Answer> {
  const queued = new Map<string, QueuedBatch<Item, Answer>>();
  // Callers with a batch in flight, or about to be sent.
  const busy = new Set<string>();
  // In insertion order, so the oldest answers go first when full.
  const reused = new Map<string, { answer: Answer; until: number }>();
  const maxReused = options.maxReusedAnswers ?? DEFAULT_MAX_REUSED_ANSWERS;
  const reuseKey = (caller: string, item: Item) => `${caller}\0${item ?? ''}`;

  const remember = (
    caller: string,
    batch: QueuedBatch<Item, Answer>,
    answers: Answer[],
  ) => {
    const expiresAt = batch.credentials.expiresAt?.getTime();
    const until = Math.min(
      Date.now() + options.reuseForMs,
      expiresAt ?? Number.POSITIVE_INFINITY,
    );
    if (options.reuseForMs <= 0 || until <= Date.now()) return;
    batch.items.forEach((item, index) => {
      const key = reuseKey(caller, item);
      reused.delete(key);
      reused.set(key, { answer: answers[index], until });
    });
    for (const key of reused.keys()) {
      if (reused.size <= maxReused) break;
      reused.delete(key);
    }
  };

  const sendNext = (caller: string) => {
    const batch = queued.get(caller);
    if (!batch) {
      busy.delete(caller);
      return;
    }
    let sent = batch;
    if (batch.items.length > options.maxBatchSize) {
      sent = {
        credentials: batch.credentials,
        items: batch.items.splice(0, options.maxBatchSize),
        waiters: batch.waiters.splice(0, options.maxBatchSize),
      };
    } else {
      queued.delete(caller);
    }
    Promise.resolve()
      .then(() => lookup(sent.items, sent.credentials))
      .then(
        answers => {
          remember(caller, sent, answers);
          sent.waiters.forEach((waiter, index) =>
            waiter.resolve(answers[index]),
          );
        },
        error => sent.waiters.forEach(waiter => waiter.reject(error)),
      )
      .finally(() => sendNext(caller));
  };

  return (caller, credentials, item) => {
    if (caller === undefined) {
      return Promise.resolve()
        .then(() => lookup([item], credentials))
        .then(([answer]) => answer);
    }
    const key = reuseKey(caller, item);
    const known = reused.get(key);
    if (known) {
      if (known.until > Date.now()) return Promise.resolve(known.answer);
      reused.delete(key);
    }
    return new Promise<Answer>((resolve, reject) => {
      let batch = queued.get(caller);
      if (!batch) {
        batch = { credentials, items: [], waiters: [] };
        queued.set(caller, batch);
      }
      batch.items.push(item);
      batch.waiters.push({ resolve, reject });
      if (!busy.has(caller)) {
        busy.add(caller);
        // Lets the lookups of requests read in the same I/O turn join.
        setImmediate(() => sendNext(caller));
      }
    });
  };
}

/** The caller's exact token, as presented: the key of its batches. */
export function callerKey(headers: {
  authorization?: string;
}): string | undefined {
  return headers.authorization || undefined;
}
