import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The command as users run it: `node tools/run-ts.js tools/generator/src/cli.ts …` (npm run generate). */
const ROOT = resolve(__dirname, '../../..');
const run = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'tools/run-ts.js'), join(ROOT, 'tools/generator/src/cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });

const localDate = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

describe('generate CLI', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'generator-cli-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('explains every option in --help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    for (const option of ['--scale', '--seed', '--out', '--from', '--today', '--formats', '--quiet'])
      expect(result.stdout).toContain(option);
    expect(result.stdout).toContain('Examples:');
  });

  it('rejects bad values with a message and exit code 1, without writing anything', () => {
    const out = tempDir();
    for (const args of [
      ['--scale', '0'],
      ['--today', '2024-02-30'],
      ['--formats', 'xml'],
      ['--from', '2024-01-01', '--today', '2023-01-01'],
    ]) {
      const result = run(['--out', out, '--quiet', ...args]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/error: .*(must|after)/);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(readdirSync(out)).toEqual([]);
    expect(run(['--scale', '1']).stderr).toContain("required option '--out <dir>'");
  });

  it('generates the requested formats quietly, with years up to the last completed one', () => {
    const out = tempDir();
    const result = run([
      '--scale',
      '0.003',
      '--seed',
      '3',
      '--out',
      out,
      '--today',
      '2020-12-31',
      '--formats',
      'ndjson',
      '--quiet',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const files = readdirSync(out);
    expect(files.every((f) => f === 'manifest.json' || f.endsWith('.ndjson'))).toBe(true);
    expect(files).toContain('population__1.ndjson');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      seed: 3,
      scale: 0.003,
      today: '2020-12-31',
      todayFrom: 'option',
      formats: ['ndjson'],
    });
    const years = new Set(
      readFileSync(join(out, 'reference_values__1.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).year),
    );
    expect([...years].sort()).toEqual([2015, 2016, 2017, 2018, 2019]);
    expect(Object.keys(manifest.populationAtStichtag)).toEqual([
      '2015-01-01',
      '2015-12-31',
      '2016-12-31',
      '2017-12-31',
      '2018-12-31',
      '2019-12-31',
      '2020-12-31',
    ]);
  });

  it('uses the machine’s date without --today and records that in the manifest; prints a summary unless quiet', () => {
    const out = tempDir();
    const before = localDate(new Date());
    const result = run(['--scale', '0.002', '--out', out, '--from', '2024-01-01', '--formats', 'csv']);
    const after = localDate(new Date());
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/wrote \d+ records in 16 files/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.todayFrom).toBe('clock');
    expect([before, after]).toContain(manifest.today);
  });
});
