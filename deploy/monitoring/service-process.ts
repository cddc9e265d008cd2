import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One service as its own node process (its `main.ts` through tools/run-ts.js, no build needed), as the
 * local stack runs it: the test can stop it like an operator's outage and start it again.
 */
export class ServiceProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly output: string[],
  ) {}

  static async start(app: string, env: Record<string, string>, port: number): Promise<ServiceProcess> {
    const output: string[] = [];
    const child = spawn(process.execPath, [join(root, 'tools/run-ts.js'), join(root, `apps/${app}/src/main.ts`)], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      output.push(d.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`, output);
    const end = Date.now() + 120_000;
    // Not listening yet is a "not ready": asked again until the process exits or the limit passes.
    while ((await fetch(`${service.url}/health/ready`).catch(() => undefined))?.ok !== true) {
      if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}: ${output.join('').slice(-3000)}`);
      if (Date.now() > end) {
        await service.stop();
        throw new Error(`${app} not ready within 120 s: ${output.join('').slice(-3000)}`);
      }
      await sleep(300);
    }
    return service;
  }

  async metrics(): Promise<string> {
    return (await fetch(`${this.url}/metrics`)).text();
  }

  /** SIGTERM (graceful shutdown), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
