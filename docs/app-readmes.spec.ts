import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
const APPS = ['anonymization', 'ingestion', 'kpi-calculation', 'publication'];

/** The files named in the README's "Where things are" table (paths under src/). */
function namedFiles(app: string): string[] {
  const readme = readFileSync(join(root, 'apps', app, 'README.md'), 'utf8');
  const start = readme.indexOf('## Where things are');
  if (start < 0) return [];
  const end = readme.indexOf('\n## ', start + 1);
  const table = readme.slice(start, end < 0 ? undefined : end);
  return [...table.matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe.each(APPS)('the README of %s', (app) => {
  const src = join(root, 'apps', app, 'src');

  it('opens with a "Where things are" table', () => {
    const readme = readFileSync(join(root, 'apps', app, 'README.md'), 'utf8');
    expect(readme.indexOf('## Where things are')).toBe(readme.indexOf('\n## ') + 1);
  });

  it('names only files that exist', () => {
    const missing = namedFiles(app).filter((f) => !existsSync(join(src, f)));
    expect(missing).toEqual([]);
  });

  it('names every source file (tests aside)', () => {
    const named = new Set(namedFiles(app));
    const unnamed = sourceFiles(src)
      .map((f) => relative(src, f))
      .filter((f) => !/\.(spec|int-spec)\.ts$/.test(f) && !named.has(f));
    expect(unnamed).toEqual([]);
  });
});
