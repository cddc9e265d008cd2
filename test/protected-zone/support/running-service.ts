import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { nodeOptionsOf } from '../../../tools/faults/src/processes';

const root = join(__dirname, '../../..');

export interface RunningService {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (its log lines). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a service as a real process from its TypeScript sources (tools/run-ts.js, no build) with the
 * given environment and the Node options of its deployments (deploy/node-options.json), and waits until
 * `/health/ready` answers 200.
 */
export async function startService(
  app: string,
  env: Record<string, string>,
  port: number,
  timeoutMs = 120_000,
): Promise<RunningService> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'tools/run-ts.js'), join(root, `apps/${app}/src/main.ts`)],
    {
      env: { PATH: process.env.PATH!, HOST: '127.0.0.1', NODE_ENV: 'test', ...nodeOptionsOf(app), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${app} exited during start:\n${output.slice(-3000)}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`${app} not ready within ${timeoutMs} ms:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
