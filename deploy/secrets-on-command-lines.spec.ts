import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Issue 11, hole 7: a command line is visible to every user of the machine (ps, /proc/<pid>/cmdline).
// The local scripts and tools hand keys, tokens and passwords to processes through the environment,
// a file or standard input — never as an argument. This scan keeps it that way.
const root = join(__dirname, '..');
const files = (dir: string, ext: RegExp) =>
  readdirSync(join(root, dir))
    .filter((f) => ext.test(f) && !f.endsWith('.spec.ts'))
    .map((f) => join(dir, f));
const scanned = [
  ...files('deploy/local', /\.sh$/),
  ...files('tools/faults/src', /\.ts$/),
  ...files('tools/admin/src', /\.ts$/),
  ...files('tools/demo/src', /\.ts$/),
];

const FORBIDDEN: [RegExp, string][] = [
  // `env KEY=value … cmd` puts every pair into env's argv
  [/\benv\s+"\$\{[a-z_]+\[@\]\}"/, 'variables passed to `env` as arguments'],
  [/\b(API_TOKENS|RAW_ENCRYPTION_KEYS|PSEUDONYM_KEYS|KPI_CALCULATION_TOKEN|[A-Z_]*PASSWORD)=\S*\s+\S+.*\b(node|exec)\b/, 'a secret assigned on a command line'],
  [/\.option\(\s*'--(token|password|key) </, 'a command-line option that takes a secret'],
  [/--requirepass\b|--password[= ]/, 'a server started with its password as an argument'],
];

describe('secrets never on a command line (ps)', () => {
  it('scans the local scripts and tools', () => {
    expect(scanned.length).toBeGreaterThan(10);
    expect(scanned).toContain('deploy/local/stack.sh');
  });

  it.each(scanned)('%s passes no key, token or password as an argument', (file) => {
    const findings = readFileSync(join(root, file), 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        line.trim().startsWith('#') || line.trim().startsWith('//')
          ? []
          : FORBIDDEN.filter(([pattern]) => pattern.test(line)).map(([, why]) => `${file}:${i + 1}: ${why}`),
      );
    expect(findings).toEqual([]);
  });
});
