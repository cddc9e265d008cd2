import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

/**
 * One suffix per role in `apps/<app>/src/adapters/` (issue 10): the list and the meaning of each are in
 * docs/architecture.md ("One shape for every app"); a file with a suffix not listed there fails here.
 */
const ADAPTER_SUFFIXES = [
  '.consumer.ts',
  '.reader.ts',
  '.repository.ts',
  '.client.ts',
  '.admin.ts',
  '.factory.ts',
  '.watcher.ts',
  '.printer.ts',
  '.lifecycle.ts',
  '.health.ts',
  '.metrics.ts',
];
const TESTS = /\.(spec|int-spec)\.ts$/;

const adapterFiles = (): string[] =>
  readdirSync(join(root, 'apps')).flatMap((app) => {
    const dir = join(root, 'apps', app, 'src', 'adapters');
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && !TESTS.test(f))
        .map((f) => `apps/${app}/src/adapters/${f}`);
    } catch {
      return []; // an app without adapters
    }
  });

describe('adapter file suffixes', () => {
  it('every adapter file ends in a listed role suffix', () => {
    const odd = adapterFiles().filter((f) => !ADAPTER_SUFFIXES.some((s) => f.endsWith(s)) || /^[^.]+\.ts$/.test(f.split('/').pop()!));
    expect(odd).toEqual([]);
  });

  it('finds the adapters (the check is not empty)', () => {
    expect(adapterFiles().length).toBeGreaterThan(20);
  });

  it('docs/architecture.md explains every suffix', () => {
    const architecture = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    expect(ADAPTER_SUFFIXES.filter((s) => !architecture.includes(`\`${s}\``))).toEqual([]);
  });
});
