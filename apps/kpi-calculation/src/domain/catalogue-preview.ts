import type { KpiValuePayload } from '@sozialmonitor/contracts';
import type { CatalogueChanges } from '@sozialmonitor/indicators';
import type { ComputedValue } from './indicator-value-calculator';

/** A value as the preview shows it: what readers see of it. */
export interface PreviewValue {
  readonly indicatorVersion: number;
  readonly value: number | null;
  readonly suppressed: boolean;
  readonly reason?: string;
  readonly class?: string;
}

export interface PreviewChange {
  readonly key: string;
  readonly indicator: string;
  readonly region: string;
  readonly period: string;
  /** null: not published yet. */
  readonly before: PreviewValue | null;
  readonly after: PreviewValue;
}

/** What activating a draft would change, value by value (api.md "Administration": preview). */
export interface CataloguePreview {
  /** The catalogue version the draft is compared with (the active one). */
  readonly basedOn: number;
  readonly changes: CatalogueChanges;
  /** Values computed from the lake (added and changed indicators and indexes over them, every region and period). */
  readonly computedValues: number;
  /** Values whose published form would change (what the activation publishes). */
  readonly changedValues: number;
  /** Values published for the first time (new indicators). */
  readonly newValues: number;
  /** The largest changes of published numbers (both before and after a number), largest first, at most 20. */
  readonly largestChanges: ReadonlyArray<PreviewChange & { readonly delta: number }>;
  readonly newlySuppressed: readonly PreviewChange[];
  readonly noLongerSuppressed: readonly PreviewChange[];
  /** Retired indicators: their published values stay as they are and are no longer updated. */
  readonly retired: readonly string[];
  /** Every changed value. */
  readonly values: readonly PreviewChange[];
}

const LARGEST = 20;

const view = (p: KpiValuePayload): PreviewValue => ({
  indicatorVersion: p.indicatorVersion,
  value: p.value,
  suppressed: p.suppressed,
  ...(p.reason ? { reason: p.reason } : {}),
  ...(p.class ? { class: p.class } : {}),
});

/**
 * Compares computed values with the published ones by the hash of their published form — the same test
 * the value publisher applies, so the preview lists exactly what an activation publishes.
 */
export function comparePreview(
  changes: CatalogueChanges,
  computed: readonly ComputedValue[],
  publishedOf: (key: string) => { hash: string; payload: KpiValuePayload } | undefined,
  basedOn: number,
): CataloguePreview {
  const values: PreviewChange[] = [];
  for (const c of computed) {
    const before = publishedOf(c.key);
    if (before && before.hash === c.hash) continue;
    values.push({
      key: c.key,
      indicator: c.payload.indicatorId,
      region: c.payload.region.code,
      period: c.payload.period,
      before: before ? view(before.payload) : null,
      after: view(c.payload),
    });
  }
  const numeric = values
    .filter((v) => v.before?.value != null && v.after.value !== null && !v.before.suppressed && !v.after.suppressed)
    .map((v) => ({ ...v, delta: (v.after.value as number) - (v.before!.value as number) }))
    .filter((v) => v.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.key < b.key ? -1 : 1))
    .slice(0, LARGEST);
  return {
    basedOn,
    changes,
    computedValues: computed.length,
    changedValues: values.length,
    newValues: values.filter((v) => v.before === null).length,
    largestChanges: numeric,
    newlySuppressed: values.filter((v) => v.before !== null && !v.before.suppressed && v.after.suppressed),
    noLongerSuppressed: values.filter((v) => v.before !== null && v.before.suppressed && !v.after.suppressed),
    retired: changes.retired,
    values,
  };
}
