/**
 * The demo (`npm run demo` after the stack is up): generates a synthetic Kreis Pinneberg, delivers it
 * through the ingestion API like source systems would (CSV, NDJSON and JSON), waits until the published
 * values settle, and prints a short report.
 *
 *   node tools/run-ts.js tools/demo/src/demo.ts [--scale 0.1] [--seed 1]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import { Command, Option } from 'commander';
import { dayOf } from '../../generator/src/dates';
import { generate, type Manifest } from '../../generator/src/generate';
import { deliverFile, filesToDeliver, resendOn503 } from './delivery-client';
import { endpoints } from './endpoints';
import { printReport } from './report';
import { waitUntilSettled } from './settle';

const ROOT = join(__dirname, '../../..');
const RUN = join(ROOT, '.local/run');

/** Tokens from API_TOKENS (environment wins) or the stack's generated throwaway secrets. */
export function tokens(env = process.env): { ingest: string } {
  let json = env.API_TOKENS;
  const file = join(RUN, 'demo-secrets.env');
  if (!json && existsSync(file)) {
    json = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('API_TOKENS='))
      ?.slice('API_TOKENS='.length);
  }
  const list = JSON.parse(json ?? '[]') as { token: string; roles: string[]; sources?: string[] }[];
  const ingest = list.find((t) => t.roles.includes('ingest') && !t.sources)?.token;
  if (!ingest) throw new Error('API_TOKENS needs a token with the ingest role for all sources');
  return { ingest };
}

async function main(): Promise<void> {
  const program = new Command('demo')
    .description(
      'Generate a synthetic county, deliver it through the ingestion API, wait for the KPIs, print a report.',
    )
    .addOption(
      new Option('--scale <f>', 'county size relative to the real one (1 ≈ 323,000 inhabitants)').default(
        process.env.DEMO_SCALE ?? '0.1',
      ),
    )
    .addOption(new Option('--seed <n>', 'generator seed').default(process.env.DEMO_SEED ?? '1'))
    .option('--skip-delivery', 'only wait and report (data already delivered)')
    .parse();
  const opts = program.opts<{ scale: string; seed: string; skipDelivery?: boolean }>();
  const scale = Number(opts.scale);
  const seed = Number(opts.seed);
  if (!(scale > 0 && scale <= 2)) program.error('--scale must be a number above 0 and at most 2');
  const api = endpoints();
  const token = tokens();

  const today = new Date().toISOString().slice(0, 10);
  const out = join(RUN, `demo-data/scale-${scale}-seed-${seed}-${today}`);
  let manifest: Manifest;
  if (existsSync(join(out, 'manifest.json'))) {
    manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    console.log(`▸ using generated data in ${out}`);
  } else {
    console.log(`▸ generating a synthetic Kreis Pinneberg at scale ${scale} (seed ${seed}) …`);
    const bars = new MultiBar(
      { format: '  generating [{bar}] {percentage}% | {records} records', hideCursor: true },
      Presets.shades_classic,
    );
    const bar = bars.create(1, 0, { records: 0 });
    const [y, m, d] = today.split('-').map(Number);
    manifest = await generate(
      {
        scale,
        seed,
        out,
        from: dayOf(2015, 1, 1),
        today: dayOf(y, m, d),
        todayFromClock: true,
        formats: ['csv', 'ndjson', 'json'],
      },
      (p) => {
        bar.setTotal(p.total);
        bar.update(p.done, { records: p.records });
      },
    );
    bars.stop();
  }

  // The state after the first delivery is kept by publication (`asOf`), so the report can show what
  // the corrections of the second one changed.
  let firstDeliveryPublishedAt: string | undefined;
  if (!opts.skipDelivery) {
    for (const delivery of [1, 2]) {
      const totals = { accepted: 0, rejected: 0 };
      console.log(
        delivery === 1
          ? '▸ delivering through the ingestion API (as the source systems would) …'
          : '▸ delivering corrections and retractions (delivery 2) …',
      );
      const bars = new MultiBar(
        { format: '  {name} [{bar}] {percentage}% | {answer}', hideCursor: true, clearOnComplete: false },
        Presets.shades_classic,
      );
      for (const file of filesToDeliver(manifest, delivery)) {
        const { source, format } = file;
        const name = `${source} #${delivery} (${format})`.padEnd(36);
        const bar = bars.create(file.bytes, 0, { name, answer: '' });
        const answer = await resendOn503(() =>
          deliverFile({
            baseUrl: api.ingestion,
            token: token.ingest,
            source,
            file: join(out, file.path),
            format,
            onBytes: (s) => bar.update(s, { name, answer: '' }),
          }),
        );
        totals.accepted += answer.accepted;
        totals.rejected += answer.rejected;
        const firstError = answer.errors[0]
          ? ` — e.g. record ${answer.errors[0].index}: ${answer.errors[0].field} ${answer.errors[0].message}`
          : '';
        // cli-progress replaces the payload on update: the name goes with every one
        bar.update(file.bytes, {
          name,
          answer: `${answer.accepted} accepted, ${answer.rejected} rejected${firstError}`,
        });
      }
      bars.stop();
      console.log(`  ${totals.accepted} records accepted, ${totals.rejected} rejected with reasons`);
      console.log('▸ waiting until anonymization, KPI calculation and publication have caught up …');
      await waitUntilSettled(api);
      if (delivery === 1) firstDeliveryPublishedAt = new Date().toISOString();
    }
  } else {
    console.log('▸ waiting until anonymization, KPI calculation and publication have caught up …');
    await waitUntilSettled(api);
  }
  await printReport(api.publication, manifest, firstDeliveryPublishedAt);
}

main().catch((e: Error) => {
  console.error(`✘ demo failed: ${e.message}`);
  process.exit(1);
});
