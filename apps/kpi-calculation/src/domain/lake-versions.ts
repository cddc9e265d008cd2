/**
 * Which version of every lake record a store holds: per key the Kafka offset and a content hash of
 * the version. A message is new when its content differs and it is not older than what is held
 * (a replay from the beginning delivers old versions again; a key always lives in one partition,
 * so offsets order its versions). Kept compact: one map entry and two doubles per record.
 */
export class LakeVersions {
  private readonly slots = new Map<string, number>();
  private offsets = new Float64Array(1024);
  private hashes = new Float64Array(1024);

  get size(): number {
    return this.slots.size;
  }

  /** Whether (offset, hash) is a newer, different version than the one held for `key`. */
  isNew(key: string, offset: number, hash: number): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return true;
    return this.hashes[slot] !== hash && offset > this.offsets[slot];
  }

  set(key: string, offset: number, hash: number): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot === this.offsets.length) this.grow();
      this.slots.set(key, slot);
    }
    this.offsets[slot] = offset;
    this.hashes[slot] = hash;
  }

  offsetOf(key: string): number | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.offsets[slot];
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    const hashes = new Float64Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.offsets = offsets;
    this.hashes = hashes;
  }
}
