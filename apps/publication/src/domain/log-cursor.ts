/**
 * Which documents of the publication log this instance still has to read. Writers number their
 * documents from a shared counter, so an instance learns of every other instance's writes by reading
 * the numbers between what it has seen and the counter. A number may be taken before its document is
 * written (the writer is busy) or never be written (the writer crashed; its Kafka batch was not
 * committed and comes again under a new number): such gaps are looked up again on every poll until
 * they are found or `gapTimeoutMs` has passed.
 */
export class LogCursor {
  /** Every number up to here is read, written by this instance, or in `missing`. */
  private high = 0;
  /** Numbers above `high` this instance wrote itself (nothing to read). */
  private readonly own = new Set<number>();
  /** Numbers not found yet → when first looked up (ms). */
  private readonly missing = new Map<number, number>();

  constructor(private readonly gapTimeoutMs: number) {}

  /** After the initial load: `head` was the counter before reading, `found` the numbers read. */
  start(head: number, found: Iterable<number>, now: number): void {
    const seen = new Set(found);
    for (let n = this.high + 1; n <= head; n++) if (!seen.has(n) && !this.own.has(n)) this.missing.set(n, now);
    for (const n of seen) this.missing.delete(n);
    this.advanceTo(head);
  }

  /** This instance wrote these numbers itself. */
  wrote(numbers: Iterable<number>): void {
    for (const n of numbers) {
      this.missing.delete(n);
      if (n > this.high) this.own.add(n);
    }
  }

  /**
   * The numbers to look up now, given the counter (`head`): the new ones (at most `limit`, oldest first)
   * and the gaps still open. Gaps older than the timeout are given up and returned in `abandoned`.
   */
  plan(head: number, now: number, limit: number): { lookUp: number[]; abandoned: number[] } {
    const abandoned: number[] = [];
    for (const [n, since] of this.missing) {
      if (now - since > this.gapTimeoutMs) {
        this.missing.delete(n);
        abandoned.push(n);
      }
    }
    const target = Math.min(head, this.high + Math.max(0, limit - this.missing.size));
    for (let n = this.high + 1; n <= target; n++) if (!this.own.has(n)) this.missing.set(n, now);
    this.advanceTo(target);
    return { lookUp: [...this.missing.keys()].sort((a, b) => a - b), abandoned };
  }

  /** A looked-up number whose document was read. */
  found(n: number): void {
    this.missing.delete(n);
  }

  /** Whether every number up to the counter is read (gaps still open count as unread). */
  caughtUp(head: number): boolean {
    return this.high >= head && this.missing.size === 0;
  }

  private advanceTo(n: number): void {
    if (n <= this.high) return;
    this.high = n;
    for (const o of this.own) if (o <= n) this.own.delete(o);
  }
}
