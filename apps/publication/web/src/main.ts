import './style.css';
import './reports';
import { api, type Indicator, type MapAnswer, query } from './api';
import { CATEGORY_LABELS, formatNumber, REASONS, reasonText, unitLabel } from './format';
import { drawMap, NO_VALUE, paletteFor } from './map';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const COUNTY = '01056';

interface State {
  indicators: Indicator[];
  indicator: string;
  year: number;
  /** A month-end Stichtag (YYYY-MM-DD) instead of the year, or ''. */
  date: string;
  method: string;
  /** Values as published at this moment (ISO), or '' for the current ones. */
  asOf: string;
  selected: string | null;
  years: number[];
  map?: MapAnswer;
}

const state: State = {
  indicators: [],
  indicator: 'births_per_1000',
  year: 0,
  date: '',
  method: 'quantile',
  asOf: '',
  selected: null,
  years: [],
};

const current = () => state.indicators.find((i) => i.id === state.indicator)!;
const periodParams = () => (state.date ? { date: state.date } : { year: state.year });
/** Month ends are computed on request, not kept: a "Stand" applies to years only (the API refuses both). */
const asOfParam = () => (state.asOf && !state.date ? { asOf: state.asOf } : {});

function readHash(): void {
  const h = new URLSearchParams(location.hash.slice(1));
  if (h.get('i')) state.indicator = h.get('i')!;
  if (h.get('j')) state.year = Number(h.get('j'));
  if (h.get('g')) state.selected = h.get('g');
  if (h.get('stand')) state.asOf = h.get('stand')!;
}

function writeHash(): void {
  const h = new URLSearchParams({ i: state.indicator, j: String(state.year) });
  if (state.selected) h.set('g', state.selected);
  if (state.asOf) h.set('stand', state.asOf);
  history.replaceState(null, '', `#${h}`);
}

function fillIndicatorSelect(filter = ''): void {
  const select = $<HTMLSelectElement>('indikator');
  const needle = filter.trim().toLowerCase();
  select.replaceChildren();
  const byCategory = new Map<string, Indicator[]>();
  for (const i of state.indicators) {
    const category = CATEGORY_LABELS[i.category] ?? i.category;
    const text = `${i.names.de} ${category} ${i.id}`.toLowerCase();
    if (needle && !text.includes(needle) && i.id !== state.indicator) continue;
    byCategory.set(category, [...(byCategory.get(category) ?? []), i]);
  }
  for (const [category, list] of byCategory) {
    const group = document.createElement('optgroup');
    group.label = category;
    for (const i of list)
      group.append(new Option(`${i.names.de} (${unitLabel(i.unit)})`, i.id, false, i.id === state.indicator));
    select.append(group);
  }
}

function renderSheet(): void {
  const i = current();
  const rows: [string, string][] = [
    ['Name', i.names.de],
    ['Thema', CATEGORY_LABELS[i.category] ?? i.category],
    ['Definition', i.description.de],
    ['Formel', i.formula],
    ['Einheit', unitLabel(i.unit)],
    ['Quellen', i.sources.join(', ')],
    ['Version', `${i.version}${i.status === 'retired' ? ' (eingestellt)' : ''}`],
    ['Brüche in der Reihe', (i.breaks ?? []).map((b) => `${b.year}: ${b.note.de}`).join('; ') || 'keine'],
    ['Kennung', i.id],
  ];
  $('steckbrief-inhalt').replaceChildren(
    ...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}

function swatch(fill: string, hatched = false): HTMLElement {
  const span = document.createElement('span');
  span.className = 'swatch';
  span.setAttribute('aria-hidden', 'true');
  if (hatched) {
    span.innerHTML =
      '<svg viewBox="0 0 16 10"><defs><pattern id="s-h" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)"><rect width="4" height="4" fill="#fff"/><line x1="0" y1="0" x2="0" y2="4" stroke="#555" stroke-width="1.6"/></pattern></defs><rect width="16" height="10" fill="url(#s-h)"/></svg>';
  } else span.style.background = fill;
  return span;
}

function renderLegend(map: MapAnswer): void {
  const { breaks } = map.classification;
  const d = current().decimals;
  const colours = paletteFor(Math.max(1, breaks.length - 1));
  const items: HTMLElement[] = [];
  for (let c = 0; c < breaks.length - 1; c++) {
    const li = document.createElement('li');
    li.append(
      swatch(colours[c]),
      `${c === 0 ? '' : 'über '}${formatNumber(breaks[c], d)} bis ${formatNumber(breaks[c + 1], d)}`,
    );
    li.dataset.class = String(c);
    items.push(li);
  }
  const suppressed = map.features.filter((f) => f.properties.suppressed).length;
  const hatched = document.createElement('li');
  hatched.className = 'legend-suppressed';
  hatched.append(
    swatch('', true),
    `schraffiert: ${REASONS.primary} (${suppressed} ${suppressed === 1 ? 'Gemeinde' : 'Gemeinden'})`,
  );
  const none = document.createElement('li');
  none.append(swatch(NO_VALUE), 'kein Wert');
  items.push(hatched, none);
  const revised = map.features.filter((f) => f.properties.revised).length;
  if (revised) {
    const li = document.createElement('li');
    li.append(swatch('#fff'), `gestrichelter Rand: korrigiert (${revised})`);
    li.firstElementChild!.setAttribute('style', 'border: 2px dashed #b35806');
    items.push(li);
  }
  $('legende').replaceChildren(...items);
}

function renderComparison(map: MapAnswer): void {
  const d = current().decimals;
  const u = unitLabel(map.indicator.unit);
  const entries: [string, number | null][] = [
    ['Kreis Pinneberg', map.comparison.county],
    ['Schleswig-Holstein', map.comparison.state],
    ['Deutschland', map.comparison.germany],
  ];
  $('vergleich').replaceChildren(
    ...entries.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v === null ? '–' : `${formatNumber(v, d)} ${u}`;
      dd.dataset.value = v === null ? '' : String(v);
      return [dt, dd];
    }),
  );
}

function renderMunicipalityList(map: MapAnswer): void {
  const select = $<HTMLSelectElement>('gemeinde-liste');
  if (select.options.length === 0) {
    select.append(new Option('— Gemeinde auswählen —', ''));
    for (const f of [...map.features].sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'de')))
      select.append(new Option(f.properties.name, f.properties.code));
  }
  select.value = state.selected ?? '';
}

let mapRequest = 0;
/** The first map, asked for together with the catalogue and the years (used when it is the one wanted). */
let prefetched: Promise<MapAnswer | undefined> | undefined;

async function loadMap(): Promise<void> {
  const ticket = ++mapRequest;
  const i = current();
  const early = await prefetched;
  prefetched = undefined;
  const fits = early && early.indicator.id === i.id && early.period === String(state.year) && !state.date;
  const map = fits ? early : await api.map(i.id, { ...periodParams(), ...asOfParam(), classes: state.method });
  if (ticket !== mapRequest) return;
  state.map = map;
  drawMap($('map'), map, i.decimals, state.selected, select);
  $('karten-titel').textContent = `${i.names.de} ${map.period} (${unitLabel(i.unit)})`;
  $('attribution').textContent = `Kartengrundlage: ${map.attribution}`;
  renderLegend(map);
  renderComparison(map);
  renderMunicipalityList(map);
  const note = $('stand-hinweis');
  note.hidden = !state.asOf;
  note.textContent = !state.asOf
    ? ''
    : state.date
      ? 'Monatsenden werden beim Abruf berechnet: der „Stand“ gilt nur für Jahreswerte, hier sind es die aktuellen Werte.'
      : `Stand: Werte wie veröffentlicht am ${new Date(state.asOf).toLocaleString('de-DE')}`;
  document.body.dataset.mapReady = `${map.indicator.id}:${map.period}:${map.asOf ?? ''}`;
  if (!('firstView' in window)) {
    (window as unknown as { firstView: number }).firstView = performance.now();
    performance.mark('first-view');
  }
}

async function loadYears(): Promise<void> {
  const county = await api.values(state.indicator, { region: COUNTY, ...asOfParam() });
  const years = county.map((v) => Number(v.period));
  state.years = years.length ? years : [new Date().getFullYear() - 1];
  const withValue = county.filter((v) => v.value !== null).map((v) => Number(v.period));
  if (!state.years.includes(state.year))
    state.year = withValue.length ? withValue[withValue.length - 1] : state.years[state.years.length - 1];
  const slider = $<HTMLInputElement>('jahr');
  slider.min = String(state.years[0]);
  slider.max = String(state.years[state.years.length - 1]);
  slider.value = String(state.year);
  $('jahr-anzeige').textContent = String(state.year);
}

let detailRequest = 0;
async function loadDetail(): Promise<void> {
  const section = $('gemeinde');
  if (!state.selected) {
    section.hidden = true;
    return;
  }
  const ticket = ++detailRequest;
  const i = current();
  const code = state.selected;
  const [values, county, profile, countyProfile, trendModule] = await Promise.all([
    api.values(i.id, { region: code, ...asOfParam() }),
    api.values(i.id, { region: COUNTY, ...asOfParam() }),
    api.profile(code, { ...periodParams(), ...asOfParam() }),
    api.profile(COUNTY, { ...periodParams(), ...asOfParam() }),
    import('./trend'),
  ]);
  if (ticket !== detailRequest) return;
  section.hidden = false;
  const name = values[0]?.region.name ?? code;
  $('gemeinde-titel').textContent = name;
  trendModule.drawTrend($('trend'), name, values, county, i.decimals, unitLabel(i.unit));
  const table = $<HTMLTableElement>('trend-tabelle');
  const caption = table.caption!;
  table.replaceChildren(caption);
  caption.textContent = `${i.names.de} (${unitLabel(i.unit)}): Werte je Jahr`;
  const head = table.createTHead().insertRow();
  for (const h of ['Jahr', name, 'Kreis', 'Land', 'Deutschland', 'Hinweis']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  const countyBy = new Map(county.map((v) => [v.period, v.value]));
  for (const v of values) {
    const row = body.insertRow();
    row.dataset.period = v.period;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = v.period;
    row.append(th);
    const cells: [number | null | undefined, string][] = [
      [v.value, 'value'],
      [countyBy.get(v.period), 'county'],
      [v.comparison.state, 'state'],
      [v.comparison.germany, 'germany'],
    ];
    for (const [x, kind] of cells) {
      const td = row.insertCell();
      td.textContent = formatNumber(x, i.decimals);
      td.dataset.kind = kind;
      td.dataset.value = x === null || x === undefined ? '' : String(x);
    }
    const note = row.insertCell();
    note.className = 'flag';
    note.textContent = [
      v.suppressed || v.value === null ? reasonText(v.suppressed, v.reason) : '',
      v.revised ? 'korrigiert' : '',
    ]
      .filter(Boolean)
      .join('; ');
  }
  await renderProfile(code, profile, countyProfile);
  section.dataset.ready = `${code}:${i.id}:${state.asOf}`;
}

async function renderProfile(
  code: string,
  profile: Awaited<ReturnType<typeof api.profile>>,
  countyProfile: Awaited<ReturnType<typeof api.profile>>,
): Promise<void> {
  const label = state.date || String(state.year);
  $('profil-titel').textContent = `Profil ${label}`;
  const countyBy = new Map(countyProfile.map((e) => [e.indicator.id, e.value]));
  // Rank among the municipalities: every indicator's values of the period (cached answers, in parallel).
  const ranks = new Map<string, string>();
  const queue = [...profile];
  const worker = async () => {
    for (let e = queue.shift(); e; e = queue.shift()) {
      if (e.value === null) continue;
      const all = await api.values(e.indicator.id, {
        ...(state.date ? { date: state.date } : { from: state.year, to: state.year }),
        ...asOfParam(),
      });
      const shown = all
        .filter((v) => v.region.level === 'municipality' && v.value !== null)
        .map((v) => v.value as number);
      const rank = 1 + shown.filter((x) => x > (e.value as number)).length;
      ranks.set(e.indicator.id, `${rank} von ${shown.length}`);
    }
  };
  // Four at a time: a browser's six connections stay free for the map, and no burst of 44 requests.
  await Promise.all(Array.from({ length: 4 }, worker));
  const table = $<HTMLTableElement>('profil');
  const caption = table.caption!;
  table.replaceChildren(caption);
  const head = table.createTHead().insertRow();
  for (const h of ['Indikator', 'Gemeinde', 'Kreis', 'Rang']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const e of profile) {
    const def = state.indicators.find((i) => i.id === e.indicator.id);
    const d = def?.decimals ?? 2;
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${e.indicator.names.de} (${unitLabel(e.indicator.unit)})`;
    row.append(th);
    row.insertCell().textContent =
      e.value === null ? reasonText(e.suppressed, e.reason) : formatNumber(e.value, d) + (e.revised ? ' *' : '');
    row.insertCell().textContent = formatNumber(countyBy.get(e.indicator.id), d);
    row.insertCell().textContent = ranks.get(e.indicator.id) ?? '–';
  }
  void code;
}

function select(code: string): void {
  state.selected = code || null;
  writeHash();
  if (state.map) drawMap($('map'), state.map, current().decimals, state.selected, select);
  $<HTMLSelectElement>('gemeinde-liste').value = state.selected ?? '';
  void loadDetail().catch(showError);
}

async function refresh(): Promise<void> {
  writeHash();
  renderSheet();
  await loadMap();
  await loadDetail();
}

function showError(e: unknown): void {
  $('live').textContent = `Fehler: ${(e as Error).message}`;
}

async function downloadCsv(): Promise<void> {
  const i = current();
  const params = { ...(state.date ? { date: state.date } : { from: state.year, to: state.year }), ...asOfParam() };
  const csv = await api.valuesCsv(i.id, params);
  const header = [
    `# Sozialmonitor Kreis Pinneberg: ${i.names.de}`,
    `# Einheit: ${unitLabel(i.unit)} (${i.unit}); Zeitraum: ${state.date || state.year}`,
    `# Quellen: ${i.sources.join(', ')}; Indikator-Version ${i.version}; Formel: ${i.formula}`,
    `# Stand: ${state.asOf || 'aktuell, abgerufen ' + new Date().toISOString()}`,
    `# Geschützte Werte (weniger als 3 Fälle) sind leer, suppressed=true. API: /api/v1/indicators/${i.id}/values${query(params)}`,
  ].join('\r\n');
  const blob = new Blob([header + '\r\n' + csv], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `sozialmonitor-${i.id}-${state.date || state.year}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Live: a published change of the shown indicator redraws the map and the trend (not in a "Stand" view). */
let stream: EventSource | undefined;
function follow(): void {
  const status = $('live');
  // Only the shown indicator's changes (the stream's filter); reopened when another one is chosen.
  stream?.close();
  const source = new EventSource(`/api/v1/stream${query({ indicator: state.indicator })}`);
  stream = source;
  let pending: number | undefined;
  source.onopen = () => (status.textContent = 'Live: verbunden');
  source.onerror = () => (status.textContent = 'Live: Verbindung unterbrochen, verbinde neu …');
  source.addEventListener('kpi-value', (event) => {
    const change = JSON.parse((event as MessageEvent).data) as { indicator: { id: string }; period: string };
    if (state.asOf || change.indicator.id !== state.indicator) return;
    clearTimeout(pending);
    pending = window.setTimeout(() => {
      status.textContent = `Live: aktualisiert ${new Date().toLocaleTimeString('de-DE')}`;
      void refresh().catch(showError);
    }, 250);
  });
}

let playing: number | undefined;
function togglePlay(): void {
  const button = $<HTMLButtonElement>('abspielen');
  if (playing !== undefined) {
    clearInterval(playing);
    playing = undefined;
    button.textContent = '▶ Abspielen';
    button.setAttribute('aria-pressed', 'false');
    return;
  }
  button.textContent = '⏸ Anhalten';
  button.setAttribute('aria-pressed', 'true');
  state.date = '';
  $<HTMLInputElement>('monat').value = '';
  let index = state.year >= state.years[state.years.length - 1] ? 0 : Math.max(0, state.years.indexOf(state.year));
  const step = () => {
    state.year = state.years[index];
    $<HTMLInputElement>('jahr').value = String(state.year);
    $('jahr-anzeige').textContent = String(state.year);
    void loadMap().catch(showError);
    index++;
    if (index >= state.years.length) togglePlay();
  };
  step();
  playing = window.setInterval(step, 1200);
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

async function start(): Promise<void> {
  readHash();
  // The catalogue, the years of the indicator and the map (of the year in the link, or the API's default:
  // the last completed year) at once: the first view waits for one round trip after the script.
  const year = state.year || undefined;
  // A failed prefetch only means loadMap asks again (and shows that error if it fails too).
  prefetched = api.map(state.indicator, { year, ...asOfParam(), classes: state.method }).catch(() => undefined);
  // The link may name an indicator that no longer exists: its years fail, and are loaded below for the
  // indicator shown instead; for an existing one a failure shows when the map (same API) fails too.
  const [catalogue] = await Promise.all([api.indicators(), loadYears().catch(() => undefined)]);
  state.indicators = catalogue.filter((i) => i.status === 'active' || i.id === state.indicator);
  if (!state.indicators.some((i) => i.id === state.indicator)) {
    state.indicator = state.indicators[0].id;
    await loadYears();
  }
  fillIndicatorSelect();
  if (state.asOf) $<HTMLInputElement>('stand').value = toLocalInput(state.asOf);
  await refresh();

  $('suche').addEventListener('input', (e) => fillIndicatorSelect((e.target as HTMLInputElement).value));
  $('indikator').addEventListener('change', (e) => {
    state.indicator = (e.target as HTMLSelectElement).value;
    follow();
    void loadYears().then(refresh).catch(showError);
  });
  $('jahr').addEventListener('input', (e) => {
    state.year = Number((e.target as HTMLInputElement).value);
    state.date = '';
    $<HTMLInputElement>('monat').value = '';
    $('jahr-anzeige').textContent = String(state.year);
    void refresh().catch(showError);
  });
  $('monat').addEventListener('change', (e) => {
    const month = (e.target as HTMLInputElement).value;
    if (!month) state.date = '';
    else {
      const [y, m] = month.split('-').map(Number);
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      state.date = `${month}-${String(last).padStart(2, '0')}`;
    }
    $('jahr-anzeige').textContent = state.date ? `Stichtag ${state.date}` : String(state.year);
    void refresh().catch(showError);
  });
  $('klassen').addEventListener('change', (e) => {
    state.method = (e.target as HTMLSelectElement).value;
    void loadMap().catch(showError);
  });
  $('stand').addEventListener('change', (e) => {
    const v = (e.target as HTMLInputElement).value;
    state.asOf = v ? new Date(v).toISOString() : '';
    void refresh().catch(showError);
  });
  $('stand-aktuell').addEventListener('click', () => {
    $<HTMLInputElement>('stand').value = '';
    state.asOf = '';
    void refresh().catch(showError);
  });
  $('gemeinde-liste').addEventListener('change', (e) => select((e.target as HTMLSelectElement).value));
  $('abspielen').addEventListener('click', togglePlay);
  $('csv').addEventListener('click', () => void downloadCsv().catch(showError));
  window.addEventListener('resize', () => void import('./trend').then((t) => t.resizeTrend()));
  follow();
}

void start().catch(showError);
