import type { CellValue } from '../expression/compile';
import type { Family } from '../measures/measure-registry';
import type { Day } from '../time/day';
import { RegionSeries } from './region-series';
import type { Spell } from './spell';

/**
 * One counting family: its cell dictionary (attribute tuples interned to small integers, in the order
 * of the family's dimensions) and its series per region id.
 */
export class FamilyStore {
  private readonly cellIds = new Map<number, number>();
  private readonly dimensions: Family['dimensions'];
  private readonly numberDictionaries: Map<number, number>[];
  /** Attribute tuple of every cell. */
  readonly cellValues: CellValue[][] = [];
  /** Birth-month index of every cell (NaN when the family has no birth month). */
  readonly cellBirthMonth: number[] = [];
  readonly birthMonthDimension: number;
  private readonly regions: (RegionSeries | undefined)[] = [];

  /**
   * @param index position in the engine's family list
   * @param slot position among the families of the same source: the index of the spell's cell cache
   */
  constructor(
    readonly index: number,
    readonly family: Family,
    readonly slot: number,
  ) {
    this.birthMonthDimension = family.dimensions.findIndex((d) => d.type.kind === 'birthMonth');
    this.dimensions = family.dimensions;
    this.numberDictionaries = family.dimensions.map(() => new Map<number, number>());
  }

  cellOf(spell: Spell): number {
    const cached = spell.cellIds[this.slot];
    if (cached >= 0) return cached;
    const key = this.cellKey(spell);
    let id = this.cellIds.get(key);
    if (id === undefined) {
      id = this.cellValues.length;
      this.cellIds.set(key, id);
      const values = this.dimensions.map((d) => spell.attributes[d.name]);
      this.cellValues.push(values);
      this.cellBirthMonth.push(this.birthMonthDimension >= 0 ? (values[this.birthMonthDimension] as number) : NaN);
    }
    spell.cellIds[this.slot] = id;
    return id;
  }

  /**
   * A number that identifies the attribute tuple: mixed radix over the dimensions (birth month as
   * month index, enum and boolean as their position, numbers through a per-dimension dictionary).
   * Numeric keys hash without building strings.
   */
  private cellKey(spell: Spell): number {
    let key = 0;
    const dims = this.dimensions;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      const v = spell.attributes[d.name];
      let digit: number;
      let radix: number;
      switch (d.type.kind) {
        case 'birthMonth':
          digit = v as number;
          radix = 1 << 16;
          break;
        case 'enum':
          digit = d.type.values.indexOf(v as string);
          radix = d.type.values.length;
          break;
        case 'boolean':
          digit = v === true ? 1 : 0;
          radix = 2;
          break;
        default: {
          const dictionary = this.numberDictionaries[i];
          let n = dictionary.get(v as number);
          if (n === undefined) dictionary.set(v as number, (n = dictionary.size));
          digit = n;
          radix = 1 << 20;
        }
      }
      key = key * radix + digit;
    }
    return key;
  }

  get cellCount(): number {
    return this.cellValues.length;
  }

  add(region: number, cell: number, day: Day, delta: number): void {
    let r = this.regions[region];
    if (r === undefined) {
      while (this.regions.length < region) this.regions.push(undefined);
      r = this.regions[region] = new RegionSeries();
    }
    r.add(cell, day, delta);
  }

  region(region: number): RegionSeries | undefined {
    return this.regions[region];
  }

  /** Merges every pending change into the compact rows (after a bulk load). */
  compact(): void {
    for (const r of this.regions) r?.compact();
  }
}
