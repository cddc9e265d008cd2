import { geoArea, type GeoPermissibleObjects, geoPath, geoTransverseMercator } from 'd3-geo';
import type { MapAnswer, MapFeature } from './api';
import { formatNumber, reasonText, unitLabel } from './format';

/** ColorBrewer YlGnBu (sequential, colour-blind safe), 3 to 7 classes. */
const PALETTES: Record<number, string[]> = {
  1: ['#41b6c4'],
  2: ['#a1dab4', '#225ea8'],
  3: ['#edf8b1', '#7fcdbb', '#2c7fb8'],
  4: ['#ffffcc', '#a1dab4', '#41b6c4', '#225ea8'],
  5: ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'],
  6: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'],
  7: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'],
};
export const NO_VALUE = '#cfcfcf';
export const HELGOLAND = '01056025';
const SVG = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 560;

type Ring = [number, number][];

/**
 * d3-geo reads a polygon's exterior ring clockwise (spherical); RFC 7946 files wind it the other way, which
 * d3 would take for the whole globe except the municipality. Rings of such polygons are reversed, so any
 * boundary file (VG5000 as shipped, a VG250 export) draws.
 */
function d3Winding(f: MapFeature): MapFeature {
  const g = f.geometry as { type: string; coordinates: unknown };
  const fix = (polygon: Ring[]) =>
    geoArea({ type: 'Polygon', coordinates: polygon }) > 2 * Math.PI ? polygon.map((r) => [...r].reverse()) : polygon;
  if (g.type === 'Polygon') return { ...f, geometry: { type: 'Polygon', coordinates: fix(g.coordinates as Ring[]) } };
  if (g.type === 'MultiPolygon')
    return { ...f, geometry: { type: 'MultiPolygon', coordinates: (g.coordinates as Ring[][]).map(fix) } };
  return f;
}

export function paletteFor(classes: number): string[] {
  return PALETTES[Math.max(1, Math.min(7, classes))];
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * The choropleth as SVG: the mainland in a transverse Mercator projection on 9° E (UTM zone 32N, the
 * projection of the county's own maps, keeps its shape), Helgoland — 60 km out in the North Sea — in
 * an inset of its own. One focusable path per municipality (click, Enter or Space selects it);
 * suppressed municipalities hatched, those without a value grey.
 */
export function drawMap(
  host: HTMLElement,
  answer: MapAnswer,
  decimals: number,
  selected: string | null,
  onSelect: (code: string) => void,
): void {
  const classes = Math.max(1, answer.classification.breaks.length - 1);
  const colours = paletteFor(classes);
  const svg = el('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'group',
    'aria-label': `Karte der 49 Gemeinden: ${answer.indicator.name}, ${answer.period}`,
    class: 'choropleth',
  });
  const defs = el('defs');
  const pattern = el('pattern', {
    id: 'schraffur',
    patternUnits: 'userSpaceOnUse',
    width: 7,
    height: 7,
    patternTransform: 'rotate(45)',
  });
  pattern.append(
    el('rect', { width: 7, height: 7, fill: '#ffffff' }),
    el('line', { x1: 0, y1: 0, x2: 0, y2: 7, stroke: '#555555', 'stroke-width': 2.5 }),
  );
  defs.append(pattern);
  svg.append(defs);

  const features = answer.features.map(d3Winding);
  const mainland = features.filter((f) => f.id !== HELGOLAND);
  const island = features.filter((f) => f.id === HELGOLAND);
  const collection = (features: MapFeature[]) =>
    ({ type: 'FeatureCollection', features }) as unknown as GeoPermissibleObjects;
  const projection = geoTransverseMercator()
    .rotate([-9, 0])
    .fitExtent(
      [
        [175, 10],
        [W - 10, H - 10],
      ],
      collection(mainland),
    );
  const inset = { x: 8, y: 8, w: 158, h: 118 };
  const insetProjection = geoTransverseMercator()
    .rotate([-9, 0])
    .fitExtent(
      [
        [inset.x + 15, inset.y + 22],
        [inset.x + inset.w - 15, inset.y + inset.h - 12],
      ],
      collection(island),
    );

  const layer = el('g', { class: 'municipalities' });
  const draw = (features: MapFeature[], path: ReturnType<typeof geoPath>, target: SVGGElement) => {
    for (const f of features) {
      const p = f.properties;
      const fill = p.suppressed ? 'url(#schraffur)' : p.class === null ? NO_VALUE : colours[p.class];
      const valueText =
        p.suppressed || p.value === null
          ? reasonText(p.suppressed, p.reason)
          : `${formatNumber(p.value, decimals)} ${unitLabel(answer.indicator.unit)}`;
      const label = `${p.name}: ${valueText}${p.revised ? ' (korrigiert)' : ''}`;
      const node = el('path', {
        d: path(f as unknown as GeoPermissibleObjects) ?? '',
        fill,
        class: `muni${p.suppressed ? ' suppressed' : ''}${p.class === null && !p.suppressed ? ' novalue' : ''}${p.revised ? ' revised' : ''}${selected === p.code ? ' selected' : ''}`,
        'data-ags': p.code,
        'data-value': p.value === null ? '' : p.value,
        tabindex: 0,
        role: 'button',
        'aria-label': label,
        'aria-pressed': selected === p.code ? 'true' : 'false',
      });
      const title = el('title');
      title.textContent = label;
      node.append(title);
      node.addEventListener('click', () => onSelect(p.code));
      node.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(p.code);
        }
      });
      target.append(node);
    }
  };
  draw(mainland, geoPath(projection), layer);
  svg.append(layer);

  const box = el('g', { class: 'inset' });
  box.append(
    el('rect', {
      x: inset.x,
      y: inset.y,
      width: inset.w,
      height: inset.h,
      fill: '#f4f8fb',
      stroke: '#4a5a6a',
      'stroke-width': 1,
    }),
  );
  const caption = el('text', { x: inset.x + 6, y: inset.y + 15, class: 'inset-label' });
  caption.textContent = 'Helgoland (rund 60 km westlich)';
  box.append(caption);
  svg.append(box);
  // Scale bar of the mainland map: 10 km along the parallel 53.7° N.
  const a = projection([9.5, 53.7]);
  const b = projection([9.5 + 10 / (111.32 * Math.cos((53.7 * Math.PI) / 180)), 53.7]);
  if (a && b) {
    const length = Math.abs(b[0] - a[0]);
    const scale = el('g', { class: 'scale', 'aria-hidden': 'true' });
    scale.append(el('rect', { x: 12, y: H - 22, width: length, height: 5, fill: '#1a1a1a' }));
    const text = el('text', { x: 12, y: H - 28, class: 'inset-label' });
    text.textContent = '10 km';
    scale.append(text);
    svg.append(scale);
  }

  const islandLayer = el('g', { class: 'municipalities' });
  draw(island, geoPath(insetProjection), islandLayer);
  svg.append(islandLayer);

  host.replaceChildren(svg);
}
