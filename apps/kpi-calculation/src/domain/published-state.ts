/**
 * The last published form of every value, as hashes: a value is published only when its published
 * form changes (events.md). Rounds of published values fold into it in the order they were written.
 */
export class PublishedState {
  private readonly hashes = new Map<string, string>();

  get size(): number {
    return this.hashes.size;
  }

  hashOf(key: string): string | undefined {
    return this.hashes.get(key);
  }

  isChanged(key: string, hash: string): boolean {
    return this.hashes.get(key) !== hash;
  }

  record(key: string, hash: string): void {
    this.hashes.set(key, hash);
  }

  clear(): void {
    this.hashes.clear();
  }
}
