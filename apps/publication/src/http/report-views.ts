import { problem } from '@sozialmonitor/platform';
import { ReportRefused } from '../application/reports';
import { compareFigure, type Report } from '../domain/report';
import { regionView, type ValueRecord, valueView } from '../domain/value-record';

/** A refused report action as an RFC 9457 problem (`errors` names each field of a refused draft). */
export function reportProblem(e: unknown): never {
  if (e instanceof ReportRefused) {
    const title = { 404: 'Not Found', 409: 'Report conflict', 410: 'Report withdrawn', 422: 'Invalid report' }[e.status];
    throw problem(e.status, title, e.message, e.problems.length > 0 ? { errors: [...e.problems] } : {});
  }
  throw e;
}

/** The metadata of a report for lists. */
export function reportSummary(r: Report, forAdmin = false) {
  return {
    id: r.id,
    title: r.title,
    state: r.state,
    releasedAt: r.releasedAt ?? null,
    sections: r.sections.length,
    figures: r.sections.reduce((n, s) => n + s.figures.length, 0),
    recommendations: r.sections.reduce((n, s) => n + s.recommendations.length, 0),
    ...(forAdmin ? { createdAt: r.createdAt, createdBy: r.createdBy, updatedAt: r.updatedAt, updatedBy: r.updatedBy } : {}),
  };
}

const shown = (r: ValueRecord | null) => (r ? (r.suppressed ? null : r.value) : null);

/**
 * A report as JSON: every figure with its pinned values (api.md value shape), and with `current` the
 * values of today beside them (`comparison`: pinned, current, changed per region and period).
 */
export function reportView(r: Report, current?: ReadonlyMap<string, readonly ValueRecord[]>, forAdmin = false) {
  const pinned = new Map((r.pinned ?? []).map((f) => [f.figure, f.values]));
  return {
    ...reportSummary(r, forAdmin),
    summary: r.summary,
    ...(r.state === 'withdrawn' ? { withdrawnAt: r.withdrawnAt, withdrawnReason: r.withdrawnReason } : {}),
    ...(forAdmin && r.releasedBy ? { releasedBy: r.releasedBy } : {}),
    valuesAsOf: r.releasedAt ?? null,
    sections: r.sections.map((s) => ({
      ...s,
      figures: s.figures.map((f) => {
        const values = pinned.get(f.id) ?? [];
        const now = current?.get(f.id);
        return {
          ...f,
          values: values.map((v) => valueView(v, v.period)),
          ...(now
            ? {
                comparison: compareFigure(values, now).map((c) => ({
                  region: regionView(c.regionCode),
                  period: c.period,
                  pinned: shown(c.pinned),
                  current: shown(c.current),
                  pinnedSuppressed: c.pinned?.suppressed ?? false,
                  currentSuppressed: c.current?.suppressed ?? false,
                  changed: c.changed,
                })),
              }
            : {}),
        };
      }),
    })),
  };
}
