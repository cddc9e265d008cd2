import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES, startContractStack, type ContractStack } from './contract-stack';

const root = join(__dirname, '../..');
const CONFIG = join(__dirname, 'schemathesis.toml');

interface StRun {
  code: number;
  output: string;
  seconds: number;
}

/** Runs Schemathesis (all checks; seed, examples and the per-operation relaxations from schemathesis.toml). */
function schemathesis(st: string, url: string, tokens: Record<string, string>): Promise<StRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      st,
      ['--config-file', CONFIG, 'run', `${url}/api/openapi.json`, '--url', url, '--checks', 'all', '--no-color'],
      {
        env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', COLUMNS: '120', ...tokens },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 600_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          output: `${stdout}${stderr}`,
          seconds: Math.round((Date.now() - started) / 1000),
        }),
    );
  });
}

/** The failures and errors sections of a report (what to fix), or its tail. */
function findings(output: string): string {
  const start = output.search(/={5,} (FAILURES|ERRORS) ={5,}/);
  const end = output.search(/={5,} (WARNINGS|SUMMARY) ={5,}/);
  return (start >= 0 ? output.slice(start, end > start ? end : undefined) : output.slice(-4000)).slice(0, 20_000);
}

/**
 * The OpenAPI documents are exact: Schemathesis — an independent property-based tester — runs against
 * each HTTP service as it really runs (test/contract/contract-stack.ts) with every check, and faults
 * nothing. Each service serves the document committed in docs/openapi/ (from which the clients' types are
 * generated: npm run openapi).
 */
describe('OpenAPI conformance (Schemathesis against every HTTP service)', () => {
  let stack: ContractStack;
  let st: string;

  beforeAll(async () => {
    // Installs the pinned version into .local/cache on first use; quick afterwards.
    st = execFileSync('bash', [join(root, 'deploy/local/schemathesis.sh')], { encoding: 'utf8' }).trim();
    stack = await startContractStack();
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  for (const service of SERVICE_NAMES) {
    it(`${service} serves the committed docs/openapi/${service}.json`, async () => {
      const served = await (await fetch(`${stack.services[service].url}/api/openapi.json`)).json();
      const committed = JSON.parse(readFileSync(join(root, `docs/openapi/${service}.json`), 'utf8'));
      expect(served).toEqual(committed);
    });

    it(`${service}: Schemathesis finds no failure`, async () => {
      const run = await schemathesis(st, stack.services[service].url, {
        SM_CONTRACT_TOKEN: stack.allRoles,
        SM_CONTRACT_ANALYST_TOKEN: stack.analyst,
      });
      process.stdout.write(`schemathesis ${service}: exit ${run.code} in ${run.seconds} s\n`);
      if (run.code !== 0)
        throw new Error(`Schemathesis found faults in ${service} (exit ${run.code}):\n${findings(run.output)}`);
      expect(run.output).toMatch(/\d+ passed/);
    }, 600_000);
  }
});
