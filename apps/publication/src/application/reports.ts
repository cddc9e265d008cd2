import { Injectable } from '@nestjs/common';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { Clock } from '@sozialmonitor/platform';
import { computedRegions } from '@sozialmonitor/regions';
import {
  figuresOf,
  type FigureValues,
  isRecommendationStatus,
  isReportId,
  parseReportDraft,
  type Report,
  type ReportProblem,
  RECOMMENDATION_STATUSES,
} from '../domain/report';
import type { ValueRecord } from '../domain/value-record';
import { PublicationEnvironment } from '../publication.environment';
import { ReportStore } from './ports/report.store';
import { ValueReader } from './value-reader';

/** A refused report action: the status to answer and why (every problem of a draft with its field). */
export class ReportRefused extends Error {
  constructor(
    readonly status: 404 | 409 | 410 | 422,
    message: string,
    readonly problems: readonly ReportProblem[] = [],
  ) {
    super(message);
  }
}

export interface Actor {
  readonly name: string;
}

const REGION_CODES = new Set(computedRegions().map((r) => r.code));

/**
 * Reports bound to their figures (issue #17): create and edit drafts, release (pin every figure to the
 * values as published at that instant), withdraw, move a recommendation's status on; read a report with
 * its pinned values, and today's values beside them.
 */
@Injectable()
export class Reports {
  constructor(
    private readonly store: ReportStore,
    private readonly reader: ValueReader,
    private readonly catalogue: Catalogue,
    private readonly clock: Clock,
    private readonly env: PublicationEnvironment,
  ) {}

  /** Released and withdrawn reports for the public, every report for the admin; newest first. */
  async list(includeDrafts: boolean): Promise<Report[]> {
    const all = await this.store.all();
    return all
      .filter((r) => includeDrafts || r.state === 'released')
      .sort((a, b) => (b.releasedAt ?? b.updatedAt).localeCompare(a.releasedAt ?? a.updatedAt));
  }

  /** A report; the public sees only released ones (a withdrawn one answers 410 with the reason). */
  async read(id: string, asAdmin: boolean): Promise<Report> {
    const report = isReportId(id) ? await this.store.get(id) : undefined;
    if (!report || (!asAdmin && report.state === 'draft'))
      throw new ReportRefused(404, `there is no published report '${isReportId(id) ? id : '…'}'`);
    if (!asAdmin && report.state === 'withdrawn')
      throw new ReportRefused(410, `the report '${id}' was withdrawn: ${report.withdrawnReason ?? ''}`);
    return report;
  }

  async create(actor: Actor, input: unknown): Promise<Report> {
    const id = (input as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !isReportId(id))
      throw new ReportRefused(422, 'invalid report', [
        { field: 'id', message: 'must be lower-case letters, digits and hyphens (e.g. sozialbericht-2025)' },
      ]);
    const draft = this.parse(input);
    const now = this.clock.now().toISOString();
    const report: Report = {
      id,
      ...draft,
      state: 'draft',
      createdAt: now,
      createdBy: actor.name,
      updatedAt: now,
      updatedBy: actor.name,
    };
    if (!(await this.store.insert(report))) throw new ReportRefused(409, `a report '${id}' exists already`);
    return report;
  }

  /** Replaces a draft's content; a released or withdrawn report is not edited (409). */
  async edit(actor: Actor, id: string, input: unknown): Promise<Report> {
    const report = await this.read(id, true);
    if (report.state !== 'draft')
      throw new ReportRefused(409, `the report '${id}' is ${report.state}: only drafts can be edited`);
    const draft = this.parse(input);
    const next: Report = {
      ...report,
      ...draft,
      updatedAt: this.clock.now().toISOString(),
      updatedBy: actor.name,
    };
    return this.replace(report, next);
  }

  /**
   * Releases a draft: every figure is pinned to the values as published at this instant (the answer of
   * `asOf` = the release time), and stored with the report; from now on its figures never change.
   */
  async release(actor: Actor, id: string): Promise<Report> {
    const report = await this.read(id, true);
    if (report.state !== 'draft')
      throw new ReportRefused(409, `the report '${id}' is ${report.state}: only a draft can be released`);
    const releasedAt = this.clock.now().toISOString();
    const pinned: FigureValues[] = [];
    for (const f of figuresOf(report)) {
      const { records } = await this.reader.asOfValues(f.indicator, f.periods, new Set(f.regions), releasedAt);
      pinned.push({ figure: f.id, values: records });
    }
    const next: Report = {
      ...report,
      state: 'released',
      releasedAt,
      releasedBy: actor.name,
      updatedAt: releasedAt,
      updatedBy: actor.name,
      pinned,
    };
    return this.replace(report, next);
  }

  /** Withdraws a released report (its content stays, for the record); the reason is shown. */
  async withdraw(actor: Actor, id: string, reason: unknown): Promise<Report> {
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new ReportRefused(422, 'a reason is required', [{ field: 'reason', message: 'must be a non-empty string' }]);
    const report = await this.read(id, true);
    if (report.state !== 'released')
      throw new ReportRefused(409, `the report '${id}' is ${report.state}: only a released report can be withdrawn`);
    const now = this.clock.now().toISOString();
    return this.replace(report, {
      ...report,
      state: 'withdrawn',
      withdrawnAt: now,
      withdrawnBy: actor.name,
      withdrawnReason: reason.trim(),
      updatedAt: now,
      updatedBy: actor.name,
    });
  }

  /** Moves a recommendation's status on (also after the release: that is what the council follows). */
  async setRecommendationStatus(actor: Actor, id: string, recommendation: string, status: unknown): Promise<Report> {
    if (!isRecommendationStatus(status))
      throw new ReportRefused(422, 'invalid status', [
        { field: 'status', message: `must be one of ${RECOMMENDATION_STATUSES.join(', ')}` },
      ]);
    const report = await this.read(id, true);
    if (report.state === 'withdrawn') throw new ReportRefused(409, `the report '${id}' is withdrawn`);
    if (!report.sections.some((s) => s.recommendations.some((r) => r.id === recommendation)))
      throw new ReportRefused(404, `the report '${id}' has no recommendation with this id`);
    return this.replace(report, {
      ...report,
      sections: report.sections.map((s) => ({
        ...s,
        recommendations: s.recommendations.map((r) => (r.id === recommendation ? { ...r, status } : r)),
      })),
      updatedAt: this.clock.now().toISOString(),
      updatedBy: actor.name,
    });
  }

  /** Today's values of every figure (what the comparison shows beside the pinned ones). */
  async currentValues(report: Report): Promise<Map<string, ValueRecord[]>> {
    const out = new Map<string, ValueRecord[]>();
    for (const f of figuresOf(report)) {
      const { records } = await this.reader.storedValues(f.indicator, f.periods, new Set(f.regions));
      out.set(f.id, records);
    }
    return out;
  }

  /** A draft has no pinned values: it shows today's (marked as a draft). */
  async withPreview(report: Report): Promise<Report> {
    if (report.pinned) return report;
    const current = await this.currentValues(report);
    return { ...report, pinned: [...current].map(([figure, values]) => ({ figure, values })) };
  }

  private parse(input: unknown) {
    const lastYear = Number(this.clock.todayText().slice(0, 4)) - 1;
    const parsed = parseReportDraft(input, {
      indicatorExists: (i) => this.catalogue.current(i) !== undefined,
      regionExists: (c) => REGION_CODES.has(c),
      firstYear: this.env.FIRST_YEAR,
      lastYear,
    });
    if (!parsed.draft) throw new ReportRefused(422, 'invalid report', parsed.problems);
    return parsed.draft;
  }

  private async replace(before: Report, next: Report): Promise<Report> {
    if (!(await this.store.replace(next, before)))
      throw new ReportRefused(409, `the report '${before.id}' was changed meanwhile; read it again`);
    return next;
  }
}
