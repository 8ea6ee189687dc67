/** At most N requests in flight per registry host, so one scan cannot flood a registry. */
export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limit: number) {}

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(host);
    try {
      return await task();
    } finally {
      this.release(host);
    }
  }

  private acquire(host: string): Promise<void> {
    const active = this.active.get(host) ?? 0;
    if (active < this.limit) {
      this.active.set(host, active + 1);
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const queue = this.waiting.get(host) ?? [];
      queue.push(resolve);
      this.waiting.set(host, queue);
    });
  }

  private release(host: string): void {
    const next = this.waiting.get(host)?.shift();
    if (next) {
      // The slot passes straight to the next waiter.
      next();
      return;
    }
    const active = (this.active.get(host) ?? 1) - 1;
    if (active) this.active.set(host, active);
    else this.active.delete(host);
  }
}
