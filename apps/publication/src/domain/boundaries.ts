/** GeoJSON geometry of a municipality (RFC 7946, WGS84 longitude/latitude). */
export type Position = [number, number];
export type Geometry =
  | { readonly type: 'Polygon'; readonly coordinates: Position[][] }
  | { readonly type: 'MultiPolygon'; readonly coordinates: Position[][][] };

export interface Boundaries {
  /** Geometry by AGS, for every expected municipality. */
  readonly byCode: ReadonlyMap<string, Geometry>;
  /** The licence notice the data requires on every map (e.g. "© GeoBasis-DE / BKG 2021 …"). */
  readonly attribution: string;
}

export class BoundariesError extends Error {}

/** Decimals of longitude/latitude kept for the web: 5 ≈ 1 m, far finer than 1:5,000,000 or VG250 needs. */
export const WEB_DECIMALS = 5;

/**
 * Reads a boundary file (a GeoJSON FeatureCollection with the AGS in `properties.AGS`, as BKG's VG5000
 * and VG250 have it) for the expected municipalities: coordinates rounded to `decimals`, points that
 * rounding made equal to their predecessor dropped. Throws a BoundariesError naming what is wrong (a
 * missing municipality, a feature without polygon geometry, no attribution).
 */
export function prepareBoundaries(
  document: unknown,
  expected: readonly string[],
  options: { decimals?: number; attribution?: string } = {},
): Boundaries {
  const doc = document as { type?: unknown; features?: unknown; attribution?: unknown };
  if (!doc || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features))
    throw new BoundariesError('is not a GeoJSON FeatureCollection');
  const attribution = options.attribution || (typeof doc.attribution === 'string' ? doc.attribution : '');
  if (!attribution)
    throw new BoundariesError('names no attribution (top-level "attribution"), which the licence requires');
  const wanted = new Set(expected);
  const factor = 10 ** (options.decimals ?? WEB_DECIMALS);
  const round = (p: Position): Position => [Math.round(p[0] * factor) / factor, Math.round(p[1] * factor) / factor];
  const ring = (points: Position[]): Position[] =>
    points.map(round).filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  const byCode = new Map<string, Geometry>();
  doc.features.forEach(
    (f: { properties?: { AGS?: unknown }; geometry?: { type?: unknown; coordinates?: unknown } }, i) => {
      const code = f?.properties?.AGS;
      if (typeof code !== 'string' || !wanted.has(code)) return;
      const g = f.geometry;
      if (g?.type === 'Polygon' && Array.isArray(g.coordinates))
        byCode.set(code, { type: 'Polygon', coordinates: (g.coordinates as Position[][]).map(ring) });
      else if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates))
        byCode.set(code, {
          type: 'MultiPolygon',
          coordinates: (g.coordinates as Position[][][]).map((polygon) => polygon.map(ring)),
        });
      else throw new BoundariesError(`feature ${i} (AGS ${code}) has no Polygon or MultiPolygon geometry`);
    },
  );
  const missing = expected.filter((c) => !byCode.has(c));
  if (missing.length) throw new BoundariesError(`has no boundary for the municipalities ${missing.join(', ')}`);
  return { byCode, attribution };
}
