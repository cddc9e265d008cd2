/**
 * k-anonymity of microdata handed out for analysis (issue 17 part 4, privacy.md): every combination of
 * the quasi-identifiers — birth month, sex, nationality group, municipality — that a released record
 * shows must be shared by at least k released records. Records in smaller classes are generalized
 * step by step along one documented hierarchy (local recoding: only the records that need it), and the
 * ones still in a class smaller than k after the last step are withheld.
 *
 * Hierarchy (level → what a record shows):
 *   0  birth month `YYYY-MM`, sex, nationality group, municipality AGS   (the lake as it is)
 *   1  birth year `YYYY`
 *   2  five-year band `1980–1984` (bands start at years divisible by 5)
 *   3  … and the county `01056` instead of the municipality
 *   4  … and sex `*`
 *   5  … and nationality group `*`
 *   withheld
 * Birth detail goes first (planning needs the municipality more than the birth month), then the
 * municipality, then sex and nationality. A missing value (a source without the field) stays missing:
 * it is a value of its own for the classes.
 */
export interface QuasiIdentifiers {
  /** `YYYY-MM`, or null when the source has no birth date. */
  readonly birthMonth: string | null;
  readonly sex: string | null;
  readonly nationality: string | null;
  /** Municipality AGS (8 digits), or null. */
  readonly municipality: string | null;
}

/**
 * A record to check: its quasi-identifiers and, optionally, whom it is about (a person or household
 * pseudonym). Several records of one person (residence spells) count once for the class size: five
 * spells of one person are one person, not five.
 */
export interface MicrodataRecord extends QuasiIdentifiers {
  readonly unit?: string;
}

/** What a released record shows after generalization (same fields, coarser values). */
export type GeneralizedIdentifiers = QuasiIdentifiers;

export const MAX_LEVEL = 5;
export const SUPPRESSED = '*';

export interface KAnonymityResult {
  /** Per input record (same order): the identifiers to release, or undefined when withheld. */
  readonly released: readonly (GeneralizedIdentifiers | undefined)[];
  /** Per input record: the generalization level applied (0 = unchanged), or -1 when withheld. */
  readonly levels: readonly number[];
  readonly k: number;
  readonly records: number;
  /** Records released with coarser identifiers than they had. */
  readonly generalized: number;
  readonly withheld: number;
  /** Records released per level (index = level). */
  readonly byLevel: readonly number[];
  /** The smallest class (in units) among the released records (Infinity when nothing is released). */
  readonly smallestClass: number;
}

export class KAnonymityError extends Error {
  override readonly name = 'KAnonymityError';
}

/** The county a municipality belongs to: the first five digits of its AGS. */
const countyOf = (ags: string): string => ags.slice(0, 5);

function birthAt(birthMonth: string | null, level: number): string | null {
  if (birthMonth === null) return null;
  const year = Number(birthMonth.slice(0, 4));
  if (level === 0) return birthMonth;
  if (level === 1) return birthMonth.slice(0, 4);
  const start = year - (((year % 5) + 5) % 5);
  return `${start}–${start + 4}`;
}

/** The identifiers a record shows at a level of the hierarchy. */
export function generalize(q: QuasiIdentifiers, level: number): GeneralizedIdentifiers {
  if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL) throw new KAnonymityError(`level must be 0…${MAX_LEVEL}`);
  if (q.birthMonth !== null && !/^\d{4}-\d{2}$/.test(q.birthMonth)) throw new KAnonymityError('birthMonth must be YYYY-MM');
  return {
    birthMonth: birthAt(q.birthMonth, level),
    municipality: q.municipality === null ? null : level >= 3 ? countyOf(q.municipality) : q.municipality,
    sex: q.sex === null ? null : level >= 4 ? SUPPRESSED : q.sex,
    nationality: q.nationality === null ? null : level >= 5 ? SUPPRESSED : q.nationality,
  };
}

/** The equivalence class of released identifiers (JSON keeps null apart from the text "null"). */
export const classKey = (g: GeneralizedIdentifiers): string =>
  JSON.stringify([g.birthMonth, g.sex, g.nationality, g.municipality]);

/** Distinct units per class (`keys[i]` undefined: record i is not counted). */
export function classSizes(keys: readonly (string | undefined)[], unitOf: (i: number) => string): Map<string, number> {
  const units = new Map<string, Set<string>>();
  keys.forEach((key, i) => {
    if (key === undefined) return;
    let set = units.get(key);
    if (!set) units.set(key, (set = new Set()));
    set.add(unitOf(i));
  });
  return new Map([...units].map(([key, set]) => [key, set.size]));
}

/**
 * Makes the records k-anonymous (every class of released identifiers covers at least k units). Round by round, every record still in a class smaller than k moves one
 * level up the hierarchy (the classes are formed over every record as it would be released now, so a
 * generalized record joins the classes of records that were coarse already); after the last level the
 * records still in small classes are withheld. Deterministic: the same records give the same result.
 */
export function enforceKAnonymity(records: readonly MicrodataRecord[], k: number): KAnonymityResult {
  if (!Number.isInteger(k) || k < 1) throw new KAnonymityError('k must be a positive integer');
  const levels = records.map(() => 0);
  const withheld = records.map(() => false);
  const shown = records.map((r) => generalize(r, 0));
  const unitOf = (i: number) => records[i].unit ?? `\u0000${i}`;
  for (;;) {
    const keys = shown.map((g, i) => (withheld[i] ? '' : classKey(g)));
    const sizes = classSizes(keys.map((key, i) => (withheld[i] ? undefined : key)), unitOf);
    let moved = false;
    keys.forEach((key, i) => {
      if (withheld[i] || sizes.get(key)! >= k) return;
      if (levels[i] >= MAX_LEVEL) {
        withheld[i] = true;
        moved = true;
        return;
      }
      levels[i] += 1;
      shown[i] = generalize(records[i], levels[i]);
      moved = true;
    });
    // A record moving up can leave the class it left smaller than k: the next round takes that up too.
    // Levels only grow and are bounded, so the rounds end; when nothing moves, every class is ≥ k.
    if (!moved) break;
  }
  const released = shown.map((g, i) => (withheld[i] ? undefined : g));
  const finalSizes = classSizes(
    released.map((g) => (g ? classKey(g) : undefined)),
    unitOf,
  );
  const byLevel = Array.from({ length: MAX_LEVEL + 1 }, () => 0);
  let generalized = 0;
  levels.forEach((level, i) => {
    if (withheld[i]) return;
    byLevel[level] += 1;
    if (classKey(shown[i]) !== classKey(records[i])) generalized += 1;
  });
  return {
    released,
    levels: levels.map((l, i) => (withheld[i] ? -1 : l)),
    k,
    records: records.length,
    generalized,
    withheld: withheld.filter(Boolean).length,
    byLevel,
    smallestClass: finalSizes.size === 0 ? Infinity : Math.min(...finalSizes.values()),
  };
}
