import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** Starts a service from its TypeScript sources (no build) and collects its exit code and output. */
function startService(app: string, env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'tools/run-ts.js'), join(root, `apps/${app}/src/main.ts`)], {
      env: { PATH: process.env.PATH!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('service start with a bad configuration', () => {
  const infra = { KAFKA_BROKERS: process.env.KAFKA_BROKERS!, MONGO_URL: process.env.MONGO_URL!, REDIS_URL: process.env.REDIS_URL! };

  it.each([
    ['publication', { PUBLICATION_PORT: 'abc' }, 'PUBLICATION_PORT'],
    ['kpi-calculation', { FIRST_YEAR: '1800' }, 'FIRST_YEAR'],
    ['publication', { KAFKA_BROKERS: 'not a broker list' }, 'KAFKA_BROKERS'],
    ['kpi-calculation', { MONGO_URL: 'postgres://x' }, 'MONGO_URL'],
  ])('%s refuses to start when %j, naming the variable', async (app, bad, variable) => {
    const { code, output } = await startService(app, { ...infra, ...bad });
    expect(code).toBe(1);
    expect(output).toContain(`${variable}:`);
    expect(output).not.toContain('listening on');
  });
});
