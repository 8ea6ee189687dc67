/**
 * At most `slots` cluster scans at a time in this backend process: each scan
 * holds one cluster's objects in memory, so peak memory follows the number of
 * scans running together, not the number of clusters. Waiting scans go in
 * the order they asked; one whose signal aborts while waiting leaves the
 * queue with the signal's reason, without ever starting.
 */
export function createScanSlots(slots: number) {
  if (!Number.isInteger(slots) || slots < 1) {
    throw new Error(
      `maxConcurrentScans must be a whole number of at least 1, not ${slots}`,
    );
  }
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  const acquire = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (running < slots) {
        running++;
        resolve();
        return;
      }
      const waiter = {
        start: () => {
          signal?.removeEventListener('abort', waiter.abandon);
          resolve();
        },
        abandon: () => {
          waiting.splice(waiting.indexOf(waiter.start), 1);
          reject(signal!.reason);
        },
      };
      signal?.addEventListener('abort', waiter.abandon, { once: true });
      waiting.push(waiter.start);
    });

  return async <T>(
    scan: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> => {
    await acquire(signal);
    try {
      return await scan();
    } finally {
      release();
    }
  };
}
