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
