import { compareFigure, parseReportDraft, type Report } from './report';
import { renderReportHtml } from './report-html';
import type { ValueRecord } from './value-record';

const RULES = {
  indicatorExists: (id: string) => id === 'births_per_1000',
  regionExists: (code: string) => ['01056015', '01056'].includes(code),
  firstYear: 2015,
  lastYear: 2025,
};

const draft = {
  title: 'Sozialbericht 2025',
  summary: 'Kurzfassung',
  sections: [
    {
      field: 'Kinder und Familie',
      title: 'Geburten',
      text: 'Text',
      figures: [
        { id: 'geburten', title: 'Geburtenrate', indicator: 'births_per_1000', regions: ['01056015'], periods: ['2024', '2023'], chart: 'bar' },
      ],
      recommendations: [{ id: 'kita', text: 'Kita-Plätze ausbauen', status: 'decided' }],
    },
  ],
};

const record = (period: string, value: number | null, suppressed = false): ValueRecord => ({
  indicatorId: 'births_per_1000',
  regionCode: '01056015',
  period,
  value,
  suppressed,
  ...(suppressed ? { reason: 'primary' } : {}),
  comparison: { county: null, state: null, germany: null },
  revised: false,
});

describe('report drafts', () => {
  it('accepts a valid draft and sorts the years', () => {
    const parsed = parseReportDraft(draft, RULES);
    expect(parsed.problems).toEqual([]);
    expect(parsed.draft!.sections[0].figures[0].periods).toEqual(['2023', '2024']);
    expect(parsed.draft!.sections[0].recommendations[0].status).toBe('decided');
  });

  it('names every bad field with its path', () => {
    const bad = {
      title: '',
      sections: [
        {
          field: 'Kinder und Familie',
          title: 'x',
          figures: [{ id: 'A B', title: 't', indicator: 'nope', regions: ['01'], periods: ['2030'], chart: 'pie' }],
          recommendations: [{ id: 'r', text: 't', status: 'maybe' }],
        },
        { field: 'Kinder und Familie', title: 'y' },
      ],
    };
    const fields = parseReportDraft(bad, RULES).problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'title',
        'sections[0].figures[0].id',
        'sections[0].figures[0].indicator',
        'sections[0].figures[0].regions[0]',
        'sections[0].figures[0].periods[0]',
        'sections[0].figures[0].chart',
        'sections[0].recommendations[0].status',
        'sections[1].field',
      ]),
    );
  });

  it('refuses what is not an object', () => {
    expect(parseReportDraft([], RULES).problems).toEqual([{ field: '', message: 'the report must be a JSON object' }]);
  });
});

describe('comparing a figure with today', () => {
  it('marks changed numbers, suppressions and missing values', () => {
    const pinned = [record('2023', 8.1), record('2024', 9)];
    const current = [record('2023', 8.1), record('2024', null, true)];
    const c = compareFigure(pinned, current);
    expect(c.map((x) => [x.period, x.changed])).toEqual([
      ['2023', false],
      ['2024', true],
    ]);
    expect(compareFigure(pinned, [record('2023', 8.1)]).find((x) => x.period === '2024')!.changed).toBe(true);
  });
});

describe('the HTML of a report', () => {
  const report: Report = {
    id: 'sozialbericht-2025',
    ...parseReportDraft(draft, RULES).draft!,
    state: 'released',
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'a',
    updatedAt: '2026-01-02T00:00:00Z',
    updatedBy: 'a',
    releasedAt: '2026-01-02T00:00:00Z',
    pinned: [{ figure: 'geburten', values: [record('2023', 8.1), record('2024', 9.25)] }],
  };
  const indicator = () => ({ name: 'Geburten je 1.000 <Einwohner>', unit: '‰' });

  it('renders German labels, the pinned values and escapes text', () => {
    const html = renderReportHtml(report, { indicator, timeZone: 'Europe/Berlin' });
    expect(html).toContain('Handlungsempfehlungen');
    expect(html).toContain('[beschlossen]');
    expect(html).toContain('9,25');
    expect(html).toContain('Geburten je 1.000 &lt;Einwohner&gt;');
    expect(html).not.toContain('heute:');
  });

  it('shows today beside the pinned values with the differences marked', () => {
    const current = new Map([['geburten', [record('2023', 8.1), record('2024', 9.5)]]]);
    const html = renderReportHtml(report, { indicator, current, timeZone: 'Europe/Berlin' });
    expect(html).toContain('9,25<br><small>heute: 9,5 (geändert)</small>');
    expect(html.match(/class="changed"/g)).toHaveLength(1);
    expect(html).toContain('1 Wert(e) weichen heute ab');
  });
});
