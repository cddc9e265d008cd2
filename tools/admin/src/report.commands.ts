/**
 * `sozialmonitor-admin report …` — reports bound to their figures (publication's /api/v1/admin/reports):
 * list, show, create, edit, release, withdraw, and a recommendation's status.
 */
import type { Command } from 'commander';
import { type Call, out, readDraft } from './catalog.commands';

const BASE = '/api/v1/admin/reports';
const SERVICE = 'publication';
const STATUSES = ['proposed', 'decided', 'in_progress', 'done'];

interface ReportSummary {
  id: string;
  title: string;
  state: string;
  releasedAt: string | null;
  sections: number;
  figures: number;
  recommendations: number;
  updatedAt?: string;
  updatedBy?: string;
}

const path = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

function printReport(r: ReportSummary): void {
  console.log(`${r.id}: ${r.title} (${r.state}${r.releasedAt ? `, released ${r.releasedAt}, figures pinned then` : ''})`);
  console.log(`${r.sections} sections, ${r.figures} figures, ${r.recommendations} recommendations`);
  if (r.updatedAt) console.log(`last change ${r.updatedAt} by ${r.updatedBy}`);
}

export function registerReportCommands(program: Command, call: Call): void {
  const report = program
    .command('report')
    .description('reports bound to their figures: list, show, create, edit, release, withdraw, recommendation (publication)');

  report
    .command('list')
    .description('every report: drafts, released and withdrawn')
    .option('--json', 'print the answer as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'GET', BASE)) as { reports: ReportSummary[] };
      out(!!o.json, r, () =>
        console.table(r.reports.map((x) => ({ id: x.id, title: x.title, state: x.state, released: x.releasedAt ?? '', by: x.updatedBy }))),
      );
    });

  report
    .command('show')
    .description('one report (a draft shows today’s values; a released one its pinned values)')
    .argument('<id>', 'report id, e.g. sozialbericht-2025')
    .option('--json', 'print the whole report as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'GET', path(id))) as ReportSummary;
      out(!!o.json, r, () => printReport(r));
    });

  report
    .command('create')
    .description('creates a draft from a JSON file (id, title, summary, sections with figures and recommendations)')
    .argument('<file>', 'the report as JSON (docs/reports.md shows one)')
    .option('--json', 'print the answer as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', BASE, readDraft(file))) as ReportSummary;
      out(!!o.json, r, () => printReport(r));
    });

  report
    .command('edit')
    .description('replaces a draft’s content from a JSON file (released reports are not edited)')
    .argument('<id>', 'report id')
    .argument('<file>', 'the report as JSON')
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, file: string, o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'PUT', path(id), readDraft(file))) as ReportSummary;
      out(!!o.json, r, () => printReport(r));
    });

  report
    .command('release')
    .description('releases a draft: every figure is pinned to the values as published now')
    .argument('<id>', 'report id')
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${path(id)}/release`)) as ReportSummary;
      out(!!o.json, r, () => printReport(r));
    });

  report
    .command('withdraw')
    .description('withdraws a released report (the public then sees the reason)')
    .argument('<id>', 'report id')
    .requiredOption('--reason <text>', 'why (shown to the public)')
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, o: { reason: string; json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${path(id)}/withdraw`, { reason: o.reason })) as ReportSummary;
      out(!!o.json, r, () => printReport(r));
    });

  report
    .command('recommendation')
    .description(`sets a recommendation’s status (${STATUSES.join(', ')}); also after the release`)
    .argument('<id>', 'report id')
    .argument('<recommendation>', 'recommendation id')
    .argument('<status>', STATUSES.join(' | '))
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, recommendation: string, status: string, o: { json?: boolean }) => {
      if (!STATUSES.includes(status)) throw new Error(`status must be one of ${STATUSES.join(', ')}`);
      const r = (await call(SERVICE, 'PUT', `${path(id)}/recommendations/${encodeURIComponent(recommendation)}`, { status })) as ReportSummary;
      out(!!o.json, r, () => printReport(r));
    });
}

const RELEASES = '/api/v1/admin/releases';

interface Hold {
  id: string;
  period: string;
  catalogueVersion?: number;
  indicators?: string[];
  releaseAt: string;
  reason: string;
  state: string;
  createdBy: string;
  releasedAt?: string;
  published?: number;
}

const printHold = (h: Hold) =>
  console.log(
    `${h.catalogueVersion ? `catalogue version ${h.catalogueVersion} (${(h.indicators ?? []).join(', ')})` : h.period}: ${h.state}${h.state === 'held' ? ` until ${h.releaseAt}` : `, released at ${h.releaseAt} (${h.published} values)`} — ${h.reason} (by ${h.createdBy})`,
  );

/** A hold named on the command line: a year (`2025`) or a hold id (`year-2025`, `catalogue-3`). */
const holdPath = (arg: string) => `${RELEASES}/${/^\d{4}$/.test(arg) ? `year-${arg}` : encodeURIComponent(arg)}`;

/** `sozialmonitor-admin embargo …` — scheduled releases (kpi-calculation's /api/v1/admin/releases). */
export function registerEmbargoCommands(program: Command, call: Call): void {
  const embargo = program
    .command('embargo')
    .description(
      'hold the values of a year (or a catalogue version: catalog activate --release-at) until a release time: list, hold, reschedule, values (kpi-calculation)',
    );

  embargo
    .command('list')
    .description('every hold: year, release time, reason, state')
    .option('--json', 'print the answer as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = (await call('kpi-calculation', 'GET', RELEASES)) as { releases: Hold[] };
      out(!!o.json, r, () => r.releases.forEach(printHold));
    });

  embargo
    .command('hold')
    .description('holds the values of a year until --at (computed, not published before)')
    .argument('<year>', 'the year, e.g. 2025')
    .requiredOption('--at <time>', 'release time, RFC 3339 with offset, e.g. 2026-03-02T10:00:00+01:00')
    .requiredOption('--reason <text>', 'why the values are held')
    .option('--json', 'print the answer as JSON')
    .action(async (year: string, o: { at: string; reason: string; json?: boolean }) => {
      const r = (await call('kpi-calculation', 'POST', RELEASES, { year, releaseAt: o.at, reason: o.reason })) as Hold;
      out(!!o.json, r, () => printHold(r));
    });

  embargo
    .command('reschedule')
    .description('moves the release time of a held year or catalogue version')
    .argument('<hold>', 'the held year (2025) or hold id (catalogue-3)')
    .requiredOption('--at <time>', 'the new release time (in the future)')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print the answer as JSON')
    .action(async (year: string, o: { at: string; reason: string; json?: boolean }) => {
      const r = (await call('kpi-calculation', 'POST', `${holdPath(year)}/reschedule`, {
        releaseAt: o.at,
        reason: o.reason,
      })) as Hold;
      out(!!o.json, r, () => printHold(r));
    });

  embargo
    .command('values')
    .description('the held values of one indicator (disclosure-controlled; for checking before the release; admin or analyst)')
    .argument('<hold>', 'the held year (2025) or hold id (catalogue-3)')
    .argument('<indicator>', 'indicator id')
    .option('--json', 'print the answer as JSON')
    .action(async (year: string, indicator: string, o: { json?: boolean }) => {
      const r = (await call(
        'kpi-calculation',
        'GET',
        `${holdPath(year)}/values?indicator=${encodeURIComponent(indicator)}`,
      )) as Array<{ period: string; region: { code: string; name: string }; value: number | null; suppressed: boolean }>;
      out(!!o.json, r, () =>
        console.table(
          r.map((v) => ({ period: v.period, code: v.region.code, name: v.region.name, value: v.value, suppressed: v.suppressed })),
        ),
      );
    });
}
