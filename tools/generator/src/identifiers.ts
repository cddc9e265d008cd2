/**
 * Register-like numbers. Person numbers are 10 digits, scattered by a bijective multiplication modulo
 * 10^10 (so they look like register numbers, not like a counter) and unique; benefit units carry a
 * Jobcenter-style number (`<office>BG<7 digits>`), housing benefit cases a Wohngeld file number.
 * Record ids are technical: `<prefix>-<counter>`, never derived from personal data.
 */
const PERSON_MODULUS = 10_000_000_000n;
const PERSON_MULTIPLIER = 7_382_194_571n; // odd and not divisible by 5: a bijection modulo 10^10

export class Identifiers {
  private persons = 0;
  private benefitUnits = 0;
  private housingCases = 0;
  private readonly records = new Map<string, number>();
  private readonly personOffset: bigint;
  private readonly unitOffset: number;
  private readonly housingOffset: number;

  constructor(seed: number) {
    this.personOffset = BigInt(seed % 9_999_999_967);
    this.unitOffset = 100_000 + (seed % 400_000);
    this.housingOffset = 10_000 + (seed % 50_000);
  }

  personId(): string {
    const n = BigInt(++this.persons);
    const scattered = (n * PERSON_MULTIPLIER + this.personOffset) % PERSON_MODULUS;
    return scattered.toString().padStart(10, '0');
  }

  /** Benefit unit (Bedarfsgemeinschaft) number of the county's Jobcenter. */
  benefitUnitId(): string {
    return `22402BG${String(this.unitOffset + ++this.benefitUnits).padStart(7, '0')}`;
  }

  /** File number of a housing benefit household. */
  housingBenefitId(): string {
    return `WG-${String(this.housingOffset + ++this.housingCases).padStart(7, '0')}`;
  }

  recordId(prefix: string): string {
    const n = (this.records.get(prefix) ?? 0) + 1;
    this.records.set(prefix, n);
    return `${prefix}-${n}`;
  }

  get personCount(): number {
    return this.persons;
  }
}
