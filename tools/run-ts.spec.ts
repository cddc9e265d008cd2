import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RUNNER = resolve(__dirname, 'run-ts.js');

/** Fixture scripts in a temporary folder: they import libs through aliases and each other without extensions. */
function writeFixtures(dir: string): void {
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'index.ts'), `export const fromIndex = (n: number): number => n + 1;\n`);
  writeFileSync(join(dir, 'twice.ts'), `export function twice(n: number): number { return n * 2; }\n`);
  writeFileSync(
    join(dir, 'main.ts'),
    [
      `import 'reflect-metadata';`,
      `import { COUNTY_CODE } from '@sozialmonitor/regions';`,
      `import { isMunicipalityAgs } from '@sozialmonitor/regions/county';`,
      `import { twice } from './twice';`,
      `import { fromIndex } from './sub';`,
      `enum Kind { A = 'a' }`,
      `const Tag = (): ClassDecorator => () => undefined;`,
      `@Tag() class Service { constructor(readonly kind: Kind) {} }`,
      `const types = Reflect.getMetadata('design:paramtypes', Service) as unknown[];`,
      `const out = { isMain: require.main === module, argv: process.argv.slice(2), county: COUNTY_CODE,`,
      `  elmshorn: isMunicipalityAgs('01056015'), value: fromIndex(twice(20)), kind: new Service(Kind.A).kind,`,
      `  paramTypes: types.length };`,
      `process.stdout.write(JSON.stringify(out));`,
      `if (process.argv.includes('--fail')) throw new Error('planned failure');`,
      ``,
    ].join('\n'),
  );
}

function run(args: string[]) {
  return spawnSync(process.execPath, args, { cwd: resolve(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
}

describe('tools/run-ts.js', () => {
  let dir: string;
  beforeAll(() => {
    // Inside the repository, so that bare imports (reflect-metadata) resolve from its node_modules.
    dir = mkdtempSync(join(__dirname, '.run-ts-fixture-'));
    writeFixtures(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a .ts file as main module with its arguments, aliases, relative and index imports, decorators', () => {
    const result = run([RUNNER, join(dir, 'main.ts'), '--scale', '0.5', 'x y']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      isMain: true,
      argv: ['--scale', '0.5', 'x y'],
      county: '01056',
      elmshorn: true,
      value: 41,
      kind: 'a',
      paramTypes: 1,
    });
  });

  it('works as a preload (node -r) as well', () => {
    const result = run(['-r', RUNNER, join(dir, 'main.ts'), 'one']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ isMain: true, argv: ['one'] });
  });

  it('exits non-zero on an uncaught error, with a stack trace pointing into the .ts source line', () => {
    const result = run([RUNNER, join(dir, 'main.ts'), '--fail']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('planned failure');
    expect(result.stderr).toMatch(/main\.ts:14:\d+/);
  });

  it('prints its usage and exits 2 without a script', () => {
    const result = run([RUNNER]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: node tools/run-ts.js <file.ts>');
  });

  it('leaves unknown @sozialmonitor aliases to the normal resolution (a clear "Cannot find module")', () => {
    writeFileSync(join(dir, 'unknown.ts'), `import '@sozialmonitor/does-not-exist';\n`);
    const result = run([RUNNER, join(dir, 'unknown.ts')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Cannot find module '@sozialmonitor/does-not-exist'");
  });
});
