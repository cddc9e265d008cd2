/**
 * `sozialmonitor-admin catalog …` — the indicator catalogue as managed data (kpi-calculation's
 * /api/v1/admin/catalogue): show, list, validate, preview, activate, retire, rollback, audit.
 */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';

export type Call = (service: string, method: string, path: string, body?: unknown) => Promise<unknown>;

const BASE = '/api/v1/admin/catalogue';
const SERVICE = 'kpi-calculation';

interface Changes {
  added: string[];
  changed: string[];
  retired: string[];
}

interface VersionSummary {
  catalogueVersion: number;
  action: string;
  createdAt: string;
  createdBy: string;
  reason: string;
  basedOn: number | null;
  releaseAt?: string;
  indicators: number;
  retired: number;
  changes?: Changes;
}

/** A JSON file given on the command line (a catalogue draft, a source declaration). */
export function readDraft(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
}

const positiveInt = (v: string): number => {
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('a catalogue version number');
  return Number(v);
};

const list = (ids: readonly string[]) => (ids.length ? ids.join(', ') : '-');

function printChanges(c: Changes): void {
  console.log(`added:   ${list(c.added)}\nchanged: ${list(c.changed)}\nretired: ${list(c.retired)}`);
}

function printVersion(v: VersionSummary): void {
  console.log(
    `catalogue version ${v.catalogueVersion} (${v.action}) by ${v.createdBy} at ${v.createdAt}${v.basedOn ? `, based on ${v.basedOn}` : ''}`,
  );
  console.log(`reason: ${v.reason}`);
  if (v.releaseAt) console.log(`held until ${v.releaseAt}: its new and changed indicators' values are published then (embargo list)`);
  console.log(`${v.indicators} active indicators, ${v.retired} retired`);
  if (v.changes) printChanges(v.changes);
}

export const out = (json: boolean, data: unknown, human: () => void) => (json ? console.log(JSON.stringify(data, null, 2)) : human());

export function registerCatalogCommands(program: Command, call: Call): void {
  const catalog = program
    .command('catalog')
    .description('the indicator catalogue: show, list, validate, preview, activate, retire, rollback, audit (kpi-calculation)');

  catalog
    .command('show')
    .description('the active catalogue version (or --version n) with its indicators')
    .option('--version <n>', 'an earlier version', positiveInt)
    .option('--json', 'print the answer as JSON (the whole document)')
    .action(async (o: { version?: number; json?: boolean }) => {
      const v = (await call(SERVICE, 'GET', o.version ? `${BASE}/versions/${o.version}` : BASE)) as VersionSummary & {
        document: { indicators: Array<{ id: string; version: number; status: string; unit: string; names: { de: string } }> };
      };
      out(!!o.json, v, () => {
        printVersion(v);
        console.table(
          v.document.indicators.map((i) => ({ id: i.id, version: i.version, status: i.status, unit: i.unit, name: i.names.de })),
        );
      });
    });

  catalog
    .command('list')
    .description('every catalogue version: who made it, when, why')
    .option('--json', 'print the answer as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'GET', `${BASE}/versions`)) as { active: number; versions: VersionSummary[] };
      out(!!o.json, r, () => {
        console.log(`active: version ${r.active}`);
        console.table(
          r.versions.map((v) => ({
            version: v.catalogueVersion,
            action: v.action,
            at: v.createdAt,
            by: v.createdBy,
            reason: v.reason,
            indicators: v.indicators,
          })),
        );
      });
    });

  catalog
    .command('validate')
    .description('checks a draft (a catalogue JSON file): formulas, measures, units, categories, names, duplicates, cycles')
    .argument('<file>', 'the draft, a catalogue document like libs/indicators/catalogue/catalogue.v1.json')
    .option('--json', 'print the answer as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${BASE}/validate`, { document: readDraft(file) })) as {
        indicators: number;
        changes: Changes;
      };
      out(!!o.json, r, () => {
        console.log(`valid: ${r.indicators} active indicators`);
        printChanges(r.changes);
      });
    });

  catalog
    .command('preview')
    .description('what activating a draft would change: computed from the lake, compared with the published values')
    .argument('<file>', 'the draft')
    .option('--json', 'print the answer as JSON (every changed value)')
    .option('--all', 'list every changed value')
    .action(async (file: string, o: { json?: boolean; all?: boolean }) => {
      type Change = { key: string; before: { value: number | null } | null; after: { value: number | null }; delta?: number };
      const r = (await call(SERVICE, 'POST', `${BASE}/preview`, { document: readDraft(file) })) as {
        basedOn: number;
        changes: Changes;
        computedValues: number;
        changedValues: number;
        newValues: number;
        largestChanges: Change[];
        newlySuppressed: Change[];
        noLongerSuppressed: Change[];
        retired: string[];
        values: Change[];
      };
      out(!!o.json, r, () => {
        console.log(`compared with version ${r.basedOn}`);
        printChanges(r.changes);
        console.log(
          `${r.computedValues} values computed from the lake; ${r.changedValues} would change (${r.newValues} new), ` +
            `${r.newlySuppressed.length} newly suppressed, ${r.noLongerSuppressed.length} no longer suppressed`,
        );
        if (r.retired.length) console.log(`retired (values stay, no longer updated): ${list(r.retired)}`);
        const row = (c: Change) => ({ key: c.key, before: c.before?.value ?? null, after: c.after.value, ...(c.delta !== undefined ? { delta: c.delta } : {}) });
        if (r.largestChanges.length) {
          console.log('largest changes:');
          console.table(r.largestChanges.map(row));
        }
        if (r.newlySuppressed.length) console.log(`newly suppressed: ${r.newlySuppressed.map((c) => c.key).join(', ')}`);
        if (r.noLongerSuppressed.length)
          console.log(`no longer suppressed: ${r.noLongerSuppressed.map((c) => c.key).join(', ')}`);
        if (o.all) console.table(r.values.map(row));
      });
    });

  catalog
    .command('activate')
    .description('makes a draft the next catalogue version; the changed indicators are recomputed from the lake')
    .argument('<file>', 'the draft')
    .requiredOption('--reason <text>', 'why (kept with the version and in the audit trail)')
    .option(
      '--release-at <time>',
      'hold the version until then (RFC 3339 with offset): its new and changed indicators are published at that instant',
    )
    .option('--json', 'print the answer as JSON')
    .action(async (file: string, o: { reason: string; releaseAt?: string; json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${BASE}/activate`, {
        document: readDraft(file),
        reason: o.reason,
        ...(o.releaseAt ? { releaseAt: o.releaseAt } : {}),
      })) as VersionSummary;
      out(!!o.json, r, () => printVersion(r));
    });

  catalog
    .command('retire')
    .description('retires an indicator (a new version): publication stops, its history stays queryable with asOf')
    .argument('<id>', 'indicator id')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, o: { reason: string; json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${BASE}/indicators/${encodeURIComponent(id)}/retire`, { reason: o.reason })) as VersionSummary;
      out(!!o.json, r, () => printVersion(r));
    });

  catalog
    .command('rollback')
    .description('makes the content of an earlier version the next version; its values are recomputed')
    .argument('<version>', 'the version to restore', positiveInt)
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print the answer as JSON')
    .action(async (version: number, o: { reason: string; json?: boolean }) => {
      const r = (await call(SERVICE, 'POST', `${BASE}/rollback`, { toVersion: version, reason: o.reason })) as VersionSummary;
      out(!!o.json, r, () => printVersion(r));
    });

  catalog
    .command('audit')
    .description('the audit trail: every catalogue action with who, when, why and outcome')
    .option('--json', 'print the answer as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = (await call(SERVICE, 'GET', `${BASE}/audit`)) as {
        entries: Array<{ at: string; by: string; action: string; outcome: string; catalogueVersion?: number; reason?: string; detail: string }>;
      };
      out(!!o.json, r, () =>
        console.table(
          r.entries.map((e) => ({
            at: e.at,
            by: e.by,
            action: e.action,
            outcome: e.outcome,
            version: e.catalogueVersion ?? '',
            reason: e.reason ?? '',
            detail: e.detail.length > 100 ? `${e.detail.slice(0, 97)}…` : e.detail,
          })),
        ),
      );
    });
}
