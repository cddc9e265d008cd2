/**
 * Seeded pseudo-random numbers (sfc32, seeded through splitmix32). The generator must be byte-for-byte
 * reproducible for a seed, so nothing here touches Math.random or the clock. Independent streams
 * (`Random.stream(seed, 'identity')`) keep one aspect (say names) from shifting another (say
 * deaths) when either is changed.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(seedWords: readonly number[]) {
    let s = 0;
    for (const w of seedWords) s = mix32(s ^ w);
    const next = splitmix32(s);
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A stream for a seed (any safe non-negative integer) and a label naming what it is for. */
  static stream(seed: number, label: string): Random {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('seed must be a non-negative safe integer');
    return new Random([Math.floor(seed / 2 ** 32) >>> 0, seed >>> 0, hashString(label)]);
  }

  /** A child stream that depends on this stream's state and the label (advances this stream once). */
  fork(label: string): Random {
    return new Random([this.nextUint32(), this.nextUint32(), hashString(label)]);
  }

  nextUint32(): number {
    // sfc32 (Chris Doty-Humphrey), public domain.
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Exponential waiting time for a rate (events per unit); Infinity for rate 0. */
  exponential(rate: number): number {
    if (rate <= 0) return Infinity;
    return -Math.log(1 - this.next()) / rate;
  }

  /** Normal deviate (Box–Muller; one value per call keeps the stream simple to reason about). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** A table to draw values with given weights from. */
export class WeightedTable<T> {
  private readonly values: T[];
  private readonly cumulative: number[];

  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = [];
    this.cumulative = [];
    let sum = 0;
    for (const [value, weight] of entries) {
      if (!(weight >= 0)) throw new RangeError('weights must be non-negative');
      if (weight === 0) continue;
      sum += weight;
      this.values.push(value);
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw new RangeError('a weighted table needs a positive weight');
  }

  draw(random: Random): T {
    const x = random.next() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }
}

export function weighted<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  return new WeightedTable(entries);
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    return mix32(state);
  };
}

function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units, finished with a mix. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}
