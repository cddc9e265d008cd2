/**
 * `sozialmonitor-admin source …` — source declarations registered at run time (ingestion's
 * /api/v1/admin/sources): validate, show, register, version, retire, audit.
 */
import type { Command } from 'commander';
import { type Call, out, readDraft as readDeclaration } from './catalog.commands';

const BASE = '/api/v1/admin/sources';
const SERVICE = 'ingestion';

interface Summary {
  name: string;
  version: number;
  kind: string;
  lakeFields: string[];
  dropped: string[];
  pseudonymized: string[];
  measures: string[];
}

const list = (names: readonly string[]) => (names.length ? names.join(', ') : '-');

function printSummary(s: Summary): void {
  console.log(`${s.name} version ${s.version} (${s.kind})`);
  console.log(`lake fields:   ${list(s.lakeFields)}`);
  console.log(`pseudonymized: ${list(s.pseudonymized)}`);
  console.log(`dropped:       ${list(s.dropped)}`);
  console.log(`measures:      ${list(s.measures)}`);
}

export function registerSourceCommands(program: Command, call: Call): void {
  const source = program
    .command('source')
    .description('source declarations (new datasets at run time): validate, show, register, version, retire, audit (ingestion)');

  source
    .command('validate')
    .description('checks a declaration file: as a new source, or as the next version of the source it names')
    .argument('<file>', 'a declaration like docs/sources/care-dependency.json')
    .option('--json', 'print the answer as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${BASE}/validate`, { document: readDeclaration(file) })) as Summary & { action: string };
      out(!!o.json, r, () => {
        console.log(`valid as ${r.action === 'register' ? 'a new source' : 'the next version'}`);
        printSummary(r);
      });
    });

  source
    .command('show')
    .description('every source (no name), or one source with its declaration and versions')
    .argument('[name]', 'source name')
    .option('--json', 'print the answer as JSON (with the declaration)')
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      if (!name) {
        const r = (await call(SERVICE, 'GET', BASE)) as {
          sources: Array<{ name: string; version: number; kind: string; retired: boolean; measures: string[]; title: string }>;
        };
        out(!!o.json, r, () =>
          console.table(r.sources.map((s) => ({ name: s.name, version: s.version, kind: s.kind, retired: s.retired, measures: list(s.measures), title: s.title }))),
        );
        return;
      }
      const r = (await call(SERVICE, 'GET', `${BASE}/${encodeURIComponent(name)}`)) as Summary & {
        retired: boolean;
        versions: Array<{ version: number; action: string; createdAt: string; createdBy: string; reason: string }>;
      };
      out(!!o.json, r, () => {
        printSummary(r);
        if (r.retired) console.log('retired: no deliveries accepted');
        if (r.versions.length) console.table(r.versions.map((v) => ({ version: v.version, action: v.action, at: v.createdAt, by: v.createdBy, reason: v.reason })));
        else console.log('shipped with the code (no registered versions)');
      });
    });

  source
    .command('register')
    .description('registers a new source (version 1): every service follows within seconds, no restart')
    .argument('<file>', 'the declaration')
    .requiredOption('--reason <text>', 'why (kept with the version and in the audit trail)')
    .option('--json', 'print the answer as JSON')
    .action(async (file: string, o: { reason: string; json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', BASE, { document: readDeclaration(file), reason: o.reason })) as Summary;
      out(!!o.json, r, () => printSummary(r));
    });

  source
    .command('version')
    .description('a new version of a registered source (refused when it would re-interpret stored records)')
    .argument('<file>', 'the declaration, its version one above the current')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print the answer as JSON')
    .action(async (file: string, o: { reason: string; json?: boolean }) => {
      const doc = readDeclaration(file) as { name?: unknown };
      if (typeof doc?.name !== 'string') throw new Error(`${file} names no source`);
      const r = (await call(SERVICE, 'POST', `${BASE}/${encodeURIComponent(doc.name)}/versions`, { document: doc, reason: o.reason })) as Summary;
      out(!!o.json, r, () => printSummary(r));
    });

  source
    .command('retire')
    .description('retires a source: no more deliveries; stored records and their values stay')
    .argument('<name>', 'source name')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print the answer as JSON')
    .action(async (name: string, o: { reason: string; json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${BASE}/${encodeURIComponent(name)}/retire`, { reason: o.reason })) as Summary;
      out(!!o.json, r, () => console.log(`${r.name} retired (version ${r.version})`));
    });

  source
    .command('audit')
    .description('the audit trail: every source action with who, when, why and outcome')
    .option('--json', 'print the answer as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'GET', `${BASE}/audit`)) as {
        entries: Array<{ at: string; by: string; action: string; outcome: string; source?: string; version?: number; reason?: string; detail: string }>;
      };
      out(!!o.json, r, () =>
        console.table(
          r.entries.map((e) => ({
            at: e.at,
            by: e.by,
            action: e.action,
            outcome: e.outcome,
            source: e.source ?? '',
            version: e.version ?? '',
            reason: e.reason ?? '',
            detail: e.detail.length > 100 ? `${e.detail.slice(0, 97)}…` : e.detail,
          })),
        ),
      );
    });
}
