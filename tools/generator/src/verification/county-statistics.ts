/**
 * County-level counts at year ends (Stichtag Y-12-31, event window the year), computed from final
 * records with the counting rules of spec/indicators.md (age by birth year and month; a spell counts
 * at d when validFrom <= d < validTo). Persons are counted per spell, which equals distinct persons
 * as long as a person's spells of one source do not overlap (the tests check that separately).
 * Used by the tests to judge plausibility; streaming, so it also runs at scale 1.
 */
type Row = Record<string, unknown>;

export interface YearCounts {
  P: number;
  female: number;
  foreign: number;
  ageSum: number;
  under3: number;
  age3to5: number;
  under15: number;
  under18: number;
  under20: number;
  under21: number;
  age15to24: number;
  age15to64: number;
  age18to64: number;
  age20to64: number;
  age65plus: number;
  age67plus: number;
  age80plus: number;
  under65: number;
  women15to49: number;
  births: number;
  deaths: number;
  in: number;
  out: number;
  internalMoves: number;
  S: number;
  Sunder65: number;
  Sunder15: number;
  SemployableWorking: number;
  Sforeign: number;
  BG: Set<string>;
  U: number;
  U15to64: number;
  U15to24: number;
  Usgb2: number;
  C: number;
  Cunder3: number;
  C3to5: number;
  CfullDay: number;
  H: number;
  Hresidential: number;
  W: number;
  WP: number;
  Gage: number;
  Gage65plus: number;
}

function emptyCounts(): YearCounts {
  return {
    P: 0,
    female: 0,
    foreign: 0,
    ageSum: 0,
    under3: 0,
    age3to5: 0,
    under15: 0,
    under18: 0,
    under20: 0,
    under21: 0,
    age15to24: 0,
    age15to64: 0,
    age18to64: 0,
    age20to64: 0,
    age65plus: 0,
    age67plus: 0,
    age80plus: 0,
    under65: 0,
    women15to49: 0,
    births: 0,
    deaths: 0,
    in: 0,
    out: 0,
    internalMoves: 0,
    S: 0,
    Sunder65: 0,
    Sunder15: 0,
    SemployableWorking: 0,
    Sforeign: 0,
    BG: new Set(),
    U: 0,
    U15to64: 0,
    U15to24: 0,
    Usgb2: 0,
    C: 0,
    Cunder3: 0,
    C3to5: 0,
    CfullDay: 0,
    H: 0,
    Hresidential: 0,
    W: 0,
    WP: 0,
    Gage: 0,
    Gage65plus: 0,
  };
}

/** Age at d by birth year and month (indicators.md). */
export function ageAt(birthDate: string, d: string): number {
  const [by, bm] = [Number(birthDate.slice(0, 4)), Number(birthDate.slice(5, 7))];
  const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
  return y - by - (m < bm ? 1 : 0);
}

const validAt = (r: Row, d: string): boolean =>
  (r.validFrom as string) <= d && (r.validTo === null || (r.validTo as string) > d);

export class CountyStatistics {
  readonly years = new Map<number, YearCounts>();
  private readonly moveOuts = new Set<string>();
  private readonly moveIns: { key: string; year: number }[] = [];

  constructor(
    readonly firstYear: number,
    readonly lastYear: number,
  ) {
    for (let y = firstYear; y <= lastYear; y++) this.years.set(y, emptyCounts());
  }

  add(source: string, r: Row): void {
    for (const [year, c] of this.years) {
      const d = `${year}-12-31`;
      if (source === 'population') this.population(r, c, year, d);
      else if (validAt(r, d)) this.program(source, r, c, d);
    }
    if (source === 'population') {
      if (r.endReason === 'move_out') this.moveOuts.add(`${r.personId}|${r.validTo}`);
      if (r.startReason === 'move_in')
        this.moveIns.push({ key: `${r.personId}|${r.validFrom}`, year: Number((r.validFrom as string).slice(0, 4)) });
    }
  }

  /** Removes moves inside the county from IN and OUT (call after the last population record). */
  finishMigration(): void {
    for (const { key, year } of this.moveIns) {
      if (!this.moveOuts.has(key)) continue;
      const c = this.years.get(year);
      if (!c) continue;
      c.in--;
      c.out--;
      c.internalMoves++;
    }
  }

  private population(r: Row, c: YearCounts, year: number, d: string): void {
    const from = r.validFrom as string;
    const to = r.validTo as string | null;
    const inYear = (date: string | null): boolean => date !== null && Number(date.slice(0, 4)) === year;
    if (inYear(from)) {
      if (r.startReason === 'birth') c.births++;
      if (r.startReason === 'move_in' || r.startReason === 'immigration') c.in++;
    }
    if (inYear(to)) {
      if (r.endReason === 'death') c.deaths++;
      if (r.endReason === 'move_out' || r.endReason === 'emigration') c.out++;
    }
    if (!validAt(r, d)) return;
    const a = ageAt(r.birthDate as string, d);
    c.P++;
    c.ageSum += a;
    if (r.sex === 'f') c.female++;
    if (r.nationality !== 'DE') c.foreign++;
    if (a < 3) c.under3++;
    if (a >= 3 && a <= 5) c.age3to5++;
    if (a < 15) c.under15++;
    if (a < 18) c.under18++;
    if (a < 20) c.under20++;
    if (a < 21) c.under21++;
    if (a >= 15 && a <= 24) c.age15to24++;
    if (a >= 15 && a <= 64) c.age15to64++;
    if (a >= 18 && a <= 64) c.age18to64++;
    if (a >= 20 && a <= 64) c.age20to64++;
    if (a < 65) c.under65++;
    if (a >= 65) c.age65plus++;
    if (a >= 67) c.age67plus++;
    if (a >= 80) c.age80plus++;
    if (r.sex === 'f' && a >= 15 && a <= 49) c.women15to49++;
  }

  private program(source: string, r: Row, c: YearCounts, d: string): void {
    const a = typeof r.birthDate === 'string' ? ageAt(r.birthDate, d) : -1;
    switch (source) {
      case 'sgb2':
        c.S++;
        if (a < 65) c.Sunder65++;
        if (a < 15) c.Sunder15++;
        if (r.employable === true && a >= 15 && a <= 64) c.SemployableWorking++;
        if (r.nationality !== 'DE') c.Sforeign++;
        c.BG.add(r.householdId as string);
        break;
      case 'unemployment':
        c.U++;
        if (a >= 15 && a <= 64) c.U15to64++;
        if (a >= 15 && a <= 24) c.U15to24++;
        if (r.legalBasis === 'sgb2') c.Usgb2++;
        break;
      case 'childcare':
        c.C++;
        if (a < 3) c.Cunder3++;
        if (a >= 3 && a <= 5) c.C3to5++;
        if ((r.hoursPerWeek as number) > 35) c.CfullDay++;
        break;
      case 'youth_welfare':
        c.H++;
        if (r.paragraph === '33' || r.paragraph === '34') c.Hresidential++;
        break;
      case 'housing_benefit':
        c.W++;
        c.WP += r.householdSize as number;
        break;
      case 'basic_income_elderly':
        if (r.reason === 'age') {
          c.Gage++;
          if (a >= 65) c.Gage65plus++;
        }
        break;
    }
  }

  /** The indicators the plausibility tests look at, for one year. */
  indicators(year: number): Record<string, number> {
    const c = this.years.get(year)!;
    const pct = (a: number, b: number): number => (b === 0 ? NaN : (a / b) * 100);
    const permille = (a: number, b: number): number => (b === 0 ? NaN : (a / b) * 1000);
    return {
      population: c.P,
      births_per_1000: permille(c.births, c.P),
      deaths_per_1000: permille(c.deaths, c.P),
      in_migration_per_1000: permille(c.in, c.P),
      out_migration_per_1000: permille(c.out, c.P),
      internal_moves_per_1000: permille(c.internalMoves, c.P),
      general_fertility_rate: permille(c.births, c.women15to49),
      share_under_3_pct: pct(c.under3, c.P),
      share_under_18_pct: pct(c.under18, c.P),
      share_18_to_64_pct: pct(c.age18to64, c.P),
      share_65_plus_pct: pct(c.age65plus, c.P),
      share_67_plus_pct: pct(c.age67plus, c.P),
      share_80_plus_pct: pct(c.age80plus, c.P),
      old_age_ratio: pct(c.age65plus, c.age20to64),
      youth_ratio: pct(c.under20, c.age20to64),
      mean_age: c.ageSum / c.P,
      share_foreign_pct: pct(c.foreign, c.P),
      share_female_pct: pct(c.female, c.P),
      sgb2_rate_pct: pct(c.Sunder65, c.under65),
      sgb2_employable_rate_pct: pct(c.SemployableWorking, c.age15to64),
      child_poverty_rate_pct: pct(c.Sunder15, c.under15),
      sgb2_foreign_share_pct: pct(c.Sforeign, c.S),
      sgb2_persons_per_household: c.S / c.BG.size,
      basic_income_elderly_rate_pct: pct(c.Gage65plus, c.age65plus),
      housing_benefit_households_per_1000: permille(c.W, c.P),
      housing_benefit_persons_pct: pct(c.WP, c.P),
      unemployment_rate_pct: pct(c.U15to64, c.age15to64),
      youth_unemployment_rate_pct: pct(c.U15to24, c.age15to24),
      unemployed_sgb2_share_pct: pct(c.Usgb2, c.U),
      childcare_rate_under_3_pct: pct(c.Cunder3, c.under3),
      childcare_rate_3_to_5_pct: pct(c.C3to5, c.age3to5),
      childcare_full_day_share_pct: pct(c.CfullDay, c.C),
      youth_welfare_per_1000_under_21: permille(c.H, c.under21),
      youth_welfare_residential_share_pct: pct(c.Hresidential, c.H),
    };
  }
}
