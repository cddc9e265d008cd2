import { INDICATOR_IDS } from '@sozialmonitor/contracts';
import catalogueV1 from '../../catalogue/catalogue.v1.json';
import { Catalogue, catalogueFromJson, defaultCatalogue } from './catalogue';
import { CatalogueHistory, FollowingCatalogue } from './catalogue-history';
import { CatalogueError, checkAgainst, checkCatalogue } from './catalogue-validation';
import type { CatalogueDocument, IndicatorEntry } from './indicator-definition';

const document = catalogueV1 as unknown as CatalogueDocument;
const entry = (id: string): IndicatorEntry => document.indicators.find((i) => i.id === id)!;
const withEntries = (...indicators: IndicatorEntry[]): CatalogueDocument => ({ ...document, indicators });

function loadError(doc: unknown): string {
  try {
    Catalogue.fromDocument(doc as CatalogueDocument);
  } catch (e) {
    if (e instanceof CatalogueError) return e.message;
    throw e;
  }
  throw new Error('expected a CatalogueError');
}

describe('catalogue v1', () => {
  const catalogue = defaultCatalogue();

  it('holds the 44 indicators of indicators.md and the social status index, all active in version 1', () => {
    expect(catalogue.active()).toHaveLength(45);
    expect(catalogue.active().filter((d) => d.kind === 'index').map((d) => d.id)).toEqual(['social_status_index']);
    expect(catalogue.active().every((d) => d.version === 1)).toBe(true);
  });

  it('lists exactly the ids of INDICATOR_IDS (libs/contracts), in catalogue order', () => {
    expect(catalogue.activeIds()).toEqual([...INDICATOR_IDS]);
  });

  it('marks the ten shares of indicators.md (†)', () => {
    expect(
      catalogue
        .active()
        .filter((d) => d.share)
        .map((d) => d.id),
    ).toEqual([
      'share_under_3_pct',
      'share_under_18_pct',
      'share_18_to_64_pct',
      'share_65_plus_pct',
      'share_80_plus_pct',
      'share_foreign_pct',
      'share_female_pct',
      'sgb2_foreign_share_pct',
      'unemployed_sgb2_share_pct',
      'childcare_full_day_share_pct',
    ]);
  });

  it('publishes counts as integers and everything else with 2 decimals', () => {
    for (const d of catalogue.active())
      expect(d.decimals).toBe(['persons', 'households', 'cases'].includes(d.unit) ? 0 : 2);
  });

  it('names and describes every indicator in German and English', () => {
    for (const d of catalogue.active()) {
      for (const t of [d.names.de, d.names.en, d.description.de, d.description.en]) expect(t.length).toBeGreaterThan(3);
    }
    expect(catalogue.byId('youth_ratio')!.names.de).toBe('Jugendquotient');
  });
});

describe('validation at load', () => {
  it('names the indicator and the position of a formula error', () => {
    const broken = { ...entry('births_per_1000'), formula: 'B / X() * 1000', measures: ['B'] };
    expect(loadError(withEntries(broken))).toBe(
      "catalogue: indicator 'births_per_1000': formula: unknown measure 'X' at position 5",
    );
    const syntax = { ...entry('youth_ratio'), formula: 'P(<20) / (P(20-64) * 100' };
    expect(loadError(withEntries(syntax))).toBe(
      "catalogue: indicator 'youth_ratio': formula: expected ')' but the formula ends at position 25",
    );
  });

  it('checks declared measures, sources, category, decimals and the shape of shares', () => {
    expect(loadError(withEntries({ ...entry('births'), sources: ['population', 'sgb2'] }))).toContain(
      "source 'sgb2' is not used",
    );
    expect(loadError(withEntries({ ...entry('sgb2_rate_pct'), sources: ['sgb2'] }))).toContain(
      "sources must include 'population'",
    );
    expect(loadError(withEntries({ ...entry('births'), category: 'weather' as never }))).toContain(
      'category must be one of',
    );
    expect(loadError(withEntries({ ...entry('births'), decimals: 1 }))).toContain('decimals must be 0 or 2');
    expect(() => Catalogue.fromDocument(withEntries({ ...entry('youth_ratio'), share: true }))).not.toThrow();
    expect(loadError(withEntries({ ...entry('dependency_ratio'), share: true }))).toContain(
      'a share needs the form numerator / denominator',
    );
    expect(loadError(withEntries({ ...entry('births'), id: 'Births!' }))).toContain('id must be');
    expect(loadError({ indicators: [{ formula: 'B' }] })).toContain('indicator #1');
  });

  it('refuses the same version twice', () => {
    expect(loadError(withEntries(entry('births'), entry('births')))).toBe(
      "catalogue: indicator 'births': version 1 appears twice (entries #1 and #2)",
    );
  });

  it('reads JSON text and says when it is none', () => {
    expect(catalogueFromJson(JSON.stringify(document)).active()).toHaveLength(45);
    expect(() => catalogueFromJson('{')).toThrow('catalogue: not valid JSON');
  });
});

describe('versions', () => {
  const births = entry('births');
  const v2 = { ...births, version: 2, formula: 'B(sex=f)' };
  const catalogue = Catalogue.fromDocument(
    withEntries(births, v2, entry('deaths'), { ...entry('population'), status: 'retired' }),
  );

  it('uses the highest version of an id; retired ones are not active but stay known', () => {
    expect(catalogue.byId('births')!.version).toBe(2);
    expect(catalogue.version('births', 1)!.formula).toBe('B');
    expect(catalogue.versions('births').map((d) => d.version)).toEqual([1, 2]);
    expect(catalogue.activeIds()).toEqual(['births', 'deaths']);
    expect(catalogue.byId('population')).toBeUndefined();
    expect(catalogue.current('population')!.status).toBe('retired');
    expect(catalogue.allIds()).toEqual(['births', 'deaths', 'population']);
  });

  it('tells what a switch of catalogues changes', () => {
    const before = Catalogue.fromDocument(withEntries(births, entry('population'), entry('mean_age')));
    expect(catalogue.changesSince(before)).toEqual({
      added: ['deaths'],
      changed: ['births'],
      retired: ['population', 'mean_age'],
    });
    expect(before.changesSince(before)).toEqual({ added: [], changed: [], retired: [] });
  });
});

describe('draft checks (issue 13: precise errors naming the entry and the problem)', () => {
  const index = entry('social_status_index');
  const problems = (doc: CatalogueDocument) => checkCatalogue(doc).problems.map((p) => p.message);

  it('lists every problem, not only the first', () => {
    expect(
      problems(
        withEntries(
          entry('population'),
          { ...entry('births'), unit: '%' },
          { ...entry('deaths'), names: { de: 'Gestorbene', en: '' } },
        ),
      ),
    ).toEqual([
      "catalogue: indicator 'births': unit '%' does not match the formula, which gives a count ('persons')",
      "catalogue: indicator 'deaths': names.en must be a non-empty text",
    ]);
  });

  it('checks units against the shape of the formula', () => {
    expect(loadError(withEntries({ ...entry('births_per_1000'), unit: '%' }))).toContain(
      "unit '%' does not match the formula, which gives a quotient × 1000 ('‰')",
    );
    expect(loadError(withEntries({ ...entry('sgb2_households'), unit: 'persons' }))).toContain("a count ('households')");
    expect(loadError(withEntries({ ...entry('mean_age'), unit: '%' }))).toContain("a mean age ('years')");
    expect(() => Catalogue.fromDocument(withEntries({ ...entry('youth_ratio'), unit: '%' }))).not.toThrow();
  });

  it('resolves an index over its inputs, and refuses unknown or retired inputs and cycles', () => {
    const inputs = index.index!.inputs.map((i) => entry(i.indicator));
    const ok = Catalogue.fromDocument(withEntries(...inputs, index));
    expect(ok.byId('social_status_index')!.inputs.map((d) => d.id)).toEqual(inputs.map((d) => d.id));
    expect(ok.byId('social_status_index')!.sources).toEqual(['sgb2', 'population', 'unemployment', 'basic_income_elderly']);
    expect(ok.dependentsOf(['unemployment_rate_pct'])).toEqual(['social_status_index']);
    expect(problems(withEntries(index))).toEqual([
      "catalogue: indicator 'social_status_index': index.inputs[0]: unknown indicator 'sgb2_rate_pct'",
    ]);
    const retired = inputs.map((d, k) => (k === 2 ? { ...d, status: 'retired' as const } : d));
    expect(problems(withEntries(...retired, index))).toEqual([
      "catalogue: indicator 'social_status_index': index.inputs[2]: indicator 'unemployment_rate_pct' is retired",
    ]);
    const a = { ...index, id: 'a', index: { ...index.index!, inputs: [{ indicator: 'b', weight: 1, direction: 'positive' as const }] } };
    const b = { ...index, id: 'b', index: { ...index.index!, inputs: [{ indicator: 'a', weight: 1, direction: 'positive' as const }] } };
    expect(problems(withEntries(a, b))).toEqual(["catalogue: indicator 'a': its inputs form a cycle: a → b → a"]);
    expect(problems(withEntries(...inputs, { ...index, unit: '%' }))).toEqual([
      "catalogue: indicator 'social_status_index': unit '%' does not match an index, which gives 'index'",
    ]);
  });

  it('checks breaks', () => {
    const note = { de: 'Zensus 2022', en: 'Census 2022' };
    expect(() => Catalogue.fromDocument(withEntries({ ...entry('population'), breaks: [{ year: 2022, note }] }))).not.toThrow();
    expect(loadError(withEntries({ ...entry('population'), breaks: [{ year: 2022, note: { de: 'x', en: '' } }] }))).toContain(
      'breaks[0].note.en must be a non-empty text',
    );
  });

  it('refuses an (id, version) in use with another computation, but not other texts or status', () => {
    const inUse = (id: string, version: number) => document.indicators.find((e) => e.id === id && e.version === version);
    expect(checkAgainst([{ ...entry('births'), formula: 'B(sex=f)' }], inUse)).toEqual([
      {
        indicator: "'births'",
        message:
          "catalogue: indicator 'births': version 1 is in use with another formula; a changed definition needs a new version",
      },
    ]);
    expect(checkAgainst([{ ...entry('births'), status: 'retired', names: { de: 'Geborene', en: 'Births' } }], inUse)).toEqual([]);
    expect(checkAgainst([{ ...entry('births'), version: 2, formula: 'B(sex=f)' }], inUse)).toEqual([]);
  });
});

describe('catalogue history', () => {
  const version = (n: number, createdAt: string, indicators: IndicatorEntry[]) => ({
    catalogueVersion: n,
    action: 'activate' as const,
    createdAt,
    createdBy: 'office',
    reason: 'test',
    basedOn: n - 1 || null,
    document: withEntries(...indicators),
  });

  it('keeps every version; the highest is active, activeAt answers for a time', () => {
    const history = new CatalogueHistory();
    history.add(version(2, '2026-02-01T00:00:00.000Z', [entry('births'), entry('deaths')]));
    history.add(version(1, '2026-01-01T00:00:00.000Z', [entry('births')]));
    expect(history.add(version(1, '2026-01-01T00:00:00.000Z', []))).toBeUndefined(); // the same version again
    expect(history.latest()!.catalogueVersion).toBe(2);
    expect(history.list().map((v) => v.catalogueVersion)).toEqual([1, 2]);
    expect(history.activeAt('2026-01-15T00:00:00Z')!.catalogue.activeIds()).toEqual(['births']);
    expect(history.activeAt('2026-02-01T00:00:00Z')!.catalogueVersion).toBe(2);
    expect(history.activeAt('2025-12-31T00:00:00Z')).toBeUndefined();
    const following = new FollowingCatalogue(history.get(1)!.catalogue);
    expect(following.activeIds()).toEqual(['births']);
    following.follow(history.latest()!.catalogue);
    expect([following.activeIds(), following.catalogueVersion]).toEqual([['births', 'deaths'], 2]);
  });

  it('makes a held version public at its release time, also after the time moved', () => {
    const history = new CatalogueHistory();
    history.add(version(1, '2026-01-01T00:00:00.000Z', [entry('births')]));
    const held = { ...version(2, '2026-02-01T00:00:00.000Z', [entry('births'), entry('deaths')]), releaseAt: '2026-03-02T09:00:00.000Z' };
    history.add(held);
    expect(history.latest()!.catalogueVersion).toBe(2); // what kpi-calculation computes with
    expect(history.activeAt('2026-03-02T08:59:59.999Z')!.catalogueVersion).toBe(1);
    expect(history.activeAt('2026-03-02T09:00:00.000Z')!.catalogueVersion).toBe(2);
    expect(history.publicAt(Date.parse('2026-02-15T00:00:00Z'))!.catalogueVersion).toBe(1);
    expect(history.publicAt(Date.parse('2026-03-02T09:00:00Z'))!.catalogueVersion).toBe(2);
    expect(history.nextReleaseAfter(Date.parse('2026-02-15T00:00:00Z'))).toBe(Date.parse('2026-03-02T09:00:00.000Z'));
    expect(history.nextReleaseAfter(Date.parse('2026-03-02T09:00:00.000Z'))).toBeUndefined();
    expect(history.add({ ...held, releaseAt: '2026-02-20T09:00:00.000Z' })).toBeUndefined();
    expect(history.activeAt('2026-02-20T09:00:00.000Z')!.catalogueVersion).toBe(2);
    expect(history.get(2)!.catalogue.activeIds()).toEqual(['births', 'deaths']);
  });
});
