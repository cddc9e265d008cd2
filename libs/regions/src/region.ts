export type RegionLevel = 'municipality' | 'county' | 'state' | 'country';

export interface Region {
  /** AGS for municipalities (8 digits), 5 digits for the county, `01` for the state, `DG` for Germany. */
  code: string;
  name: string;
  level: RegionLevel;
  /** Code of the enclosing region; null for Germany. */
  parent: string | null;
}

export interface Municipality {
  ags: string;
  ars: string;
  /** Official display name, e.g. "Elmshorn, Stadt". */
  name: string;
  shortName: string;
  kind: 'Stadt' | 'Gemeinde' | string;
  /** The Amt it belongs to; null when amtsfrei. */
  amt: string | null;
  /** Inhabitants (published figure or rough estimate) — for synthetic data, never for display. */
  inhabitantsEstimate: number;
}
