import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { resolve } from 'node:path';
import { dayOf } from './dates';
import { type Format } from './encoders';
import { generate } from './generate';
import { dateRange, parseDate, parseFormats, parseScale, parseSeed } from './options';

/**
 * `generate`: synthetic register and benefit data for Kreis Pinneberg (see tools/generator/README.md).
 * Run it with `node tools/run-ts.js tools/generator/src/cli.ts --help`.
 */
interface CliOptions {
  scale: number;
  seed: number;
  out: string;
  from: number;
  today?: number;
  formats: Format[];
  quiet?: boolean;
}

export function buildProgram(): Command {
  return new Command('generate')
    .description(
      'Generate synthetic, realistic data of Kreis Pinneberg (49 municipalities) for every source of spec/sources.md:\n' +
        'residence spells from --from to --today, SGB II, unemployment, childcare, youth welfare, housing benefit,\n' +
        'Grundsicherung, and reference values for Schleswig-Holstein and Germany. Writes <source>__1.<format>\n' +
        '(all records, some wrong), <source>__2.<format> (corrections and retractions) and manifest.json.\n' +
        'Deterministic: the same options give the same bytes.',
    )
    .addOption(
      new Option(
        '--scale <factor>',
        'size relative to the real county (1 = about 323,000 inhabitants at the end of 2023)',
      )
        .argParser(parseScale)
        .default(1),
    )
    .addOption(new Option('--seed <n>', 'seed of the pseudo-random numbers').argParser(parseSeed).default(1))
    .requiredOption('--out <dir>', 'output directory (created if missing; files of the same name are overwritten)')
    .addOption(
      new Option('--from <date>', 'first day of the register extract (YYYY-MM-DD)')
        .argParser(parseDate)
        .default(dayOf(2015, 1, 1), '2015-01-01'),
    )
    .addOption(
      new Option(
        '--today <date>',
        "the extract's today (YYYY-MM-DD); default: the machine's date, recorded in the manifest",
      ).argParser(parseDate),
    )
    .addOption(
      new Option('--formats <list>', 'comma-separated output formats: csv, ndjson, json')
        .argParser(parseFormats)
        .default(['csv', 'ndjson', 'json'], 'csv,ndjson,json'),
    )
    .option('--quiet', 'no progress bar and no summary on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  npm run generate -- --scale 0.02 --seed 7 --out /tmp/county-small --today 2024-06-30 --formats ndjson\n' +
        '  node tools/run-ts.js tools/generator/src/cli.ts --scale 1 --seed 1 --out data/synthetic',
    );
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  program.parse(argv);
  const opts = program.opts<CliOptions>();
  let range;
  try {
    range = dateRange(opts.from, opts.today);
  } catch (e) {
    if (e instanceof InvalidArgumentError) program.error(`error: ${e.message}`);
    throw e;
  }
  const out = resolve(opts.out);
  const bar = opts.quiet
    ? null
    : new SingleBar({
        format: 'generating |{bar}| {percentage}% | {records} records | {duration_formatted}',
        hideCursor: true,
        stream: process.stderr,
      });
  bar?.start(1, 0, { records: 0 });
  const started = process.hrtime.bigint();
  const manifest = await generate({ scale: opts.scale, seed: opts.seed, out, formats: opts.formats, ...range }, (p) => {
    bar?.setTotal(p.total);
    bar?.update(p.done, { records: p.records });
  });
  bar?.stop();
  if (!opts.quiet) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const total = Object.values(manifest.sources).reduce((s, x) => s + x.delivery1 + x.delivery2, 0);
    process.stderr.write(
      `wrote ${total} records in ${manifest.files.length} files to ${out} in ${seconds.toFixed(1)} s (manifest.json; today = ${manifest.today})\n`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`generate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
