import { regionByCode } from '@sozialmonitor/regions';
import { compareFigure, type ComparedValue, type FigureReference, type Report, type RecommendationStatus } from './report';
import type { ValueRecord } from './value-record';

/** German labels of the rendered report (the public reads it; the council prints it). */
const STATUS_DE: Record<RecommendationStatus, string> = {
  proposed: 'vorgeschlagen',
  decided: 'beschlossen',
  in_progress: 'in Umsetzung',
  done: 'umgesetzt',
};
const REASON_DE: Record<string, string> = {
  primary: 'geschützt (weniger als 3 Fälle)',
  secondary: 'geschützt (Rückrechnung verhindert)',
  no_data: 'keine Daten',
};

export interface IndicatorLabel {
  readonly name: string;
  readonly unit: string;
}

export interface RenderOptions {
  /** Today's values per figure id: shown beside the pinned ones, differences marked. */
  readonly current?: ReadonlyMap<string, readonly ValueRecord[]>;
  readonly indicator: (id: string) => IndicatorLabel;
  /** The county's time zone for dates shown (the Clock's TIME_ZONE). */
  readonly timeZone: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const number = (v: number) => v.toLocaleString('de-DE', { maximumFractionDigits: 2 });

function shown(r: ValueRecord | null): string {
  if (!r) return '–';
  if (r.suppressed || r.value === null) return REASON_DE[r.reason ?? 'no_data'] ?? 'keine Angabe';
  return number(r.value);
}

const dateDe = (iso: string, timeZone: string) =>
  new Date(iso).toLocaleString('de-DE', { timeZone, dateStyle: 'long', timeStyle: 'short' });

const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escape(p)}</p>`)
    .join('\n');

function cellOf(c: ComparedValue, comparing: boolean): string {
  if (!comparing) return `<td>${shown(c.pinned)}</td>`;
  const mark = c.changed ? ' class="changed"' : '';
  return `<td${mark}>${shown(c.pinned)}<br><small>heute: ${shown(c.current)}${c.changed ? ' (geändert)' : ''}</small></td>`;
}

/** A horizontal bar per region for the figure's last year (suppressed: no bar, the reason instead). */
function bars(figure: FigureReference, values: readonly ValueRecord[]): string {
  const year = figure.periods[figure.periods.length - 1];
  const rows = figure.regions.map((code) => values.find((v) => v.regionCode === code && v.period === year) ?? null);
  const max = Math.max(0, ...rows.map((r) => (r && !r.suppressed && r.value !== null ? Math.abs(r.value) : 0)));
  const height = 22;
  const lines = figure.regions.map((code, i) => {
    const r = rows[i];
    const width = r && !r.suppressed && r.value !== null && max > 0 ? (Math.abs(r.value) / max) * 300 : 0;
    const y = i * height;
    return (
      `<text x="0" y="${y + 15}">${escape(regionByCode(code)?.name ?? code)}</text>` +
      `<rect x="220" y="${y + 4}" width="${width.toFixed(1)}" height="14" fill="#3a6ea5"></rect>` +
      `<text x="${(226 + width).toFixed(1)}" y="${y + 15}">${escape(shown(r))}</text>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-label="Balkendiagramm ${escape(figure.title)} ${year}" width="640" height="${
      figure.regions.length * height
    }" font-size="12">${lines.join('')}</svg>`
  );
}

/** One line per region over the figure's years (gaps where a value is suppressed or missing). */
function lines(figure: FigureReference, values: readonly ValueRecord[]): string {
  const numbers = values.filter((v) => !v.suppressed && v.value !== null).map((v) => v.value!);
  if (numbers.length === 0 || figure.periods.length < 2) return '';
  const [lo, hi] = [Math.min(...numbers), Math.max(...numbers)];
  const w = 480;
  const h = 160;
  const x = (i: number) => 40 + (i / (figure.periods.length - 1)) * (w - 60);
  const y = (v: number) => h - 20 - (hi === lo ? 0.5 : (v - lo) / (hi - lo)) * (h - 40);
  const colours = ['#3a6ea5', '#c0504d', '#4f8f3a', '#8064a2', '#d98c1f', '#2c9c9c'];
  const paths = figure.regions.map((code, k) => {
    const pts = figure.periods
      .map((p, i) => {
        const v = values.find((r) => r.regionCode === code && r.period === p);
        return v && !v.suppressed && v.value !== null ? `${x(i).toFixed(1)},${y(v.value).toFixed(1)}` : null;
      })
      .filter((p): p is string => p !== null);
    return `<polyline fill="none" stroke="${colours[k % colours.length]}" stroke-width="2" points="${pts.join(' ')}"><title>${escape(
      regionByCode(code)?.name ?? code,
    )}</title></polyline>`;
  });
  const axis = figure.periods
    .map((p, i) => `<text x="${x(i).toFixed(1)}" y="${h - 4}" text-anchor="middle">${p}</text>`)
    .join('');
  return `<svg class="chart" role="img" aria-label="Liniendiagramm ${escape(figure.title)}" width="${w}" height="${h}" font-size="11">${paths.join('')}${axis}<text x="0" y="12">${number(hi)}</text><text x="0" y="${h - 20}">${number(lo)}</text></svg>`;
}

function figureHtml(figure: FigureReference, pinned: readonly ValueRecord[], options: RenderOptions): string {
  const label = options.indicator(figure.indicator);
  const current = options.current?.get(figure.id);
  const compared = compareFigure(pinned, current ?? pinned);
  const at = (code: string, period: string) =>
    compared.find((c) => c.regionCode === code && c.period === period) ?? {
      regionCode: code,
      period,
      pinned: null,
      current: null,
      changed: false,
    };
  const head = figure.periods.map((p) => `<th scope="col">${p}</th>`).join('');
  const body = figure.regions
    .map(
      (code) =>
        `<tr><th scope="row">${escape(regionByCode(code)?.name ?? code)}</th>${figure.periods
          .map((p) => cellOf(at(code, p), current !== undefined))
          .join('')}</tr>`,
    )
    .join('\n');
  const changes = current ? compared.filter((c) => c.changed).length : 0;
  const chart = figure.chart === 'bar' ? bars(figure, pinned) : figure.chart === 'line' ? lines(figure, pinned) : '';
  return `<figure id="figure-${escape(figure.id)}" data-figure="${escape(figure.id)}">
<figcaption><strong>${escape(figure.title)}</strong> — ${escape(label.name)} (${escape(label.unit)})</figcaption>
${chart}
<table><thead><tr><th scope="col">Gebiet</th>${head}</tr></thead><tbody>
${body}
</tbody></table>
${current ? `<p class="note">${changes === 0 ? 'Alle Werte unverändert gegenüber heute.' : `${changes} Wert(e) weichen heute ab (markiert).`}</p>` : ''}
</figure>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.8rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:right}
th[scope=row]{text-align:left}td.changed{background:#fff2b3;outline:2px solid #b58900}figure{margin:1rem 0;break-inside:avoid}
.meta{color:#555}.withdrawn{border:2px solid #b00020;padding:.5rem;color:#b00020}.status{font-weight:bold}
.note{font-size:.85rem;color:#555}.chart{display:block;margin:.5rem 0}@media print{body{margin:0;max-width:none}}`;

/** The report as a standalone German HTML page (no scripts; one inline style sheet). */
export function renderReportHtml(report: Report, options: RenderOptions): string {
  const pinned = new Map((report.pinned ?? []).map((f) => [f.figure, f.values]));
  const sections = report.sections
    .map((s) => {
      const figures = s.figures.map((f) => figureHtml(f, pinned.get(f.id) ?? [], options)).join('\n');
      const recs = s.recommendations.length
        ? `<h3>Handlungsempfehlungen</h3><ol>${s.recommendations
            .map(
              (r) =>
                `<li data-recommendation="${escape(r.id)}">${escape(r.text)} <span class="status">[${STATUS_DE[r.status]}]</span></li>`,
            )
            .join('')}</ol>`
        : '';
      return `<section data-field="${escape(s.field)}"><h2>${escape(s.title)}</h2><p class="meta">Handlungsfeld: ${escape(
        s.field,
      )}</p>${paragraphs(s.text)}${figures}${recs}</section>`;
    })
    .join('\n');
  const meta = report.releasedAt
    ? `Veröffentlicht am ${dateDe(report.releasedAt, options.timeZone)}. Alle Zahlen: Stand ${dateDe(report.releasedAt, options.timeZone)} (so wie zu diesem Zeitpunkt veröffentlicht).`
    : 'Entwurf — noch nicht veröffentlicht; Zahlen werden bei der Veröffentlichung festgeschrieben.';
  const withdrawn =
    report.state === 'withdrawn'
      ? `<p class="withdrawn">Zurückgezogen am ${dateDe(report.withdrawnAt!, options.timeZone)}: ${escape(report.withdrawnReason ?? '')}</p>`
      : '';
  const comparing = options.current
    ? '<p class="note">Neben jedem Wert steht der heutige Wert; abweichende Werte sind markiert.</p>'
    : '';
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>${escape(report.title)}</title><style>${STYLE}</style></head>
<body><article data-report="${escape(report.id)}">
<h1>${escape(report.title)}</h1>
<p class="meta">${meta}</p>${withdrawn}${comparing}
${paragraphs(report.summary)}
${sections}
<footer class="note">Sozialmonitor Kreis Pinneberg — Werte unter 3 Fällen sind zum Schutz der Betroffenen nicht ausgewiesen.</footer>
</article></body></html>`;
}
