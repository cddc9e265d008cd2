import { Injectable } from '@nestjs/common';

/**
 * Counts this instance's read-model writes. Computations running while the cache is bypassed are shared
 * per (key, epoch), so a request that arrives after a write never joins a computation started before it.
 */
@Injectable()
export class ReadEpoch {
  private value = 0;

  advance(): void {
    this.value++;
  }

  get current(): number {
    return this.value;
  }
}
