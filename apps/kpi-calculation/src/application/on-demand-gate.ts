/** More on-demand computations are waiting than allowed: the caller should try again later. */
export class OnDemandBusyError extends Error {
  override readonly name = 'OnDemandBusyError';
  constructor(readonly waiting: number) {
    super(`${waiting} on-demand computations are already waiting`);
  }
}

/**
 * Bounds the work the on-demand endpoint can cause (issue: each call is a synchronous whole-county
 * computation on the event loop, where the lake consumer's heartbeats run too). One computation runs
 * at a time; each starts in its own macrotask (`setImmediate`), so timers and socket I/O — Kafka
 * heartbeats, the consumer's fetches — run between two computations whatever the request rate; at
 * most `maxWaiting` wait, more are refused at once (503 with Retry-After) instead of piling up.
 */
export class OnDemandGate {
  private running = false;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly maxWaiting: number) {}

  get waiting(): number {
    return this.queue.length;
  }

  async run<T>(work: () => T): Promise<T> {
    if (this.running || this.queue.length > 0) {
      if (this.queue.length >= this.maxWaiting) throw new OnDemandBusyError(this.queue.length);
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running = true;
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running = false;
    }
  }
}
