import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import NODE_OPTIONS from '../../../deploy/node-options.json';

export const ROOT = join(__dirname, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Appended to across restarts. */
  logFile: string;
  /** Polled after start until true. */
  ready: (proc: ManagedProcess) => Promise<boolean>;
  /**
   * A line the process prints once when it is ready (Kafka: "Kafka Server started"): `saidReadyLine`
   * remembers it, however much the process prints after it.
   */
  readyLine?: string;
  readyTimeoutMs?: number;
}

/** Every child the suite started: killed when the suite's process ends, however it ends. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/**
 * A child process the suite owns: a service or a private server. It can be killed with any signal and
 * started again with the same command and data (a restart after kill -9 is the scenario's point).
 */
export class ManagedProcess {
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: string | null }>;
  private log: WriteStream;
  private recent = '';
  private readyLineSeen = false;
  /** The end of the output so far, so that a ready line split between two chunks is found. */
  private carry = '';

  constructor(readonly spec: ProcessSpec) {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last ~20 KB the process wrote (for failure reports). */
  output(): string {
    return this.recent;
  }

  /**
   * Whether it printed its `readyLine` since it was last started. Not `output().includes(…)`: a restarted
   * Kafka prints ~25 KB (loading every consumer group) right after its line, which pushed it out of the
   * last 20 KB before the next poll; the suite then waited 180 s, killed a working broker and failed.
   */
  get saidReadyLine(): boolean {
    return this.readyLineSeen;
  }

  /** Starts it and waits until ready; returns the milliseconds that took. */
  async start(): Promise<number> {
    const started = Date.now();
    this.recent = '';
    this.readyLineSeen = false;
    this.carry = '';
    const child = spawn(this.spec.command, this.spec.args, {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    children.add(child);
    child.on('exit', () => children.delete(child));
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const line = this.spec.readyLine;
    const keep = (d: Buffer) => {
      this.log.write(d);
      const text = d.toString('utf8');
      this.recent = (this.recent + text).slice(-20_000);
      if (line && !this.readyLineSeen) {
        const window = this.carry + text;
        this.readyLineSeen = window.includes(line);
        this.carry = window.slice(-line.length);
      }
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const end = started + (this.spec.readyTimeoutMs ?? 180_000);
    for (;;) {
      if (!this.running) throw new Error(`${this.spec.name} exited while starting:\n${this.recent.slice(-3000)}`);
      if (await this.spec.ready(this).catch(() => false)) return Date.now() - started;
      if (Date.now() > end) {
        this.kill('SIGKILL');
        throw new Error(`${this.spec.name} not ready within ${(end - started) / 1000} s:\n${this.recent.slice(-3000)}`);
      }
      await sleep(250);
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child!.kill(signal);
  }

  /** Sends `signal` and waits for the exit; returns the milliseconds until it exited (SIGKILL after `forceAfterMs`). */
  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
    forceAfterMs = 20_000,
  ): Promise<{ ms: number; forced: boolean; code: number | null; signal: string | null }> {
    const started = Date.now();
    if (!this.running) return { ms: 0, forced: false, code: this.child?.exitCode ?? null, signal: this.child?.signalCode ?? null };
    this.child!.kill(signal);
    let forced = false;
    const timer = setTimeout(() => ((forced = true), this.child?.kill('SIGKILL')), forceAfterMs);
    const exit = await this.exit!;
    clearTimeout(timer);
    return { ms: Date.now() - started, forced, ...exit };
  }

  close(): void {
    this.log.end();
  }
}

/**
 * One of the four services from its TypeScript sources (tools/run-ts.js), ready when /health/ready answers 200,
 * with the Node options it has in every deployment (deploy/node-options.json).
 */
export function serviceProcess(app: string, instance: string, port: number, env: Record<string, string>, logDir: string): ManagedProcess {
  return new ManagedProcess({
    name: instance,
    command: process.execPath,
    args: [join(ROOT, 'tools/run-ts.js'), join(ROOT, `apps/${app}/src/main.ts`)],
    env: { HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...nodeOptionsOf(app), ...env },
    logFile: join(logDir, `${instance}.log`),
    ready: async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
  });
}

/** `NODE_OPTIONS` of an app as every deployment sets it (none for most). */
export function nodeOptionsOf(app: string): { NODE_OPTIONS?: string } {
  const options = (NODE_OPTIONS as Record<string, string | undefined>)[app];
  return options ? { NODE_OPTIONS: options } : {};
}

/** A private Kafka, FerretDB or Redis through deploy/local/server.sh (the commands infra.sh uses). */
export function serverProcess(
  kind: 'kafka' | 'ferretdb' | 'redis',
  dataDir: string,
  ports: number[],
  logDir: string,
  name: string = kind,
): ManagedProcess {
  return new ManagedProcess({
    name,
    command: 'bash',
    args: [join(ROOT, 'deploy/local/server.sh'), kind, dataDir, ...ports.map(String)],
    // the shared cache (binaries), a run folder of its own (lib.sh creates one)
    env: { KAFKA_HEAP: '-Xms128m -Xmx512m', SM_CACHE: join(ROOT, '.local/cache'), SM_RUN: join(dataDir, 'run') },
    logFile: join(logDir, `${name}.log`),
    readyLine: kind === 'kafka' ? 'Kafka Server started' : undefined,
    ready: async (p) => (await portOpen(ports[0])) && (kind !== 'kafka' || p.saidReadyLine),
    readyTimeoutMs: 180_000,
  });
}
