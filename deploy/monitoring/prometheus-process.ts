import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '@sozialmonitor/testing/free-port';

export interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A Prometheus of a test's own (port, data dir and config in a temp dir) with the project's alert rules,
 * their `for:` shortened to `forDuration` and scrapes and evaluations every second, so an alert fires
 * within seconds. Never the local stack's Prometheus.
 */
export class PrometheusProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
    private readonly output: string[],
  ) {}

  static async start(targets: Record<string, string>, forDuration = '2s'): Promise<PrometheusProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'sm-prometheus-'));
    const rules = parse(readFileSync(join(__dirname, 'prometheus/alerts.yml'), 'utf8')) as {
      groups: { rules: { for?: string }[] }[];
    };
    for (const rule of rules.groups.flatMap((g) => g.rules)) if (rule.for) rule.for = forDuration;
    writeFileSync(join(dir, 'alerts.yml'), stringify(rules));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
        rule_files: [join(dir, 'alerts.yml')],
        scrape_configs: Object.entries(targets).map(([job, target]) => ({ job_name: job, static_configs: [{ targets: [target] }] })),
      }),
    );
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const prometheus = new PrometheusProcess(child, dir, `http://127.0.0.1:${port}`, output);
    // Not listening yet is a "not ready": asked again until the limit.
    await prometheus.until(async () => (await fetch(`${prometheus.url}/-/ready`).catch(() => undefined))?.ok === true, 'Prometheus ready', 30_000);
    return prometheus;
  }

  async alerts(): Promise<Alert[]> {
    const body = (await (await fetch(`${this.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
    return body.data.alerts;
  }

  async firing(alertname: string, labels: Record<string, string> = {}): Promise<boolean> {
    return (await this.alerts()).some(
      (a) => a.state === 'firing' && a.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
    );
  }

  /** The instant vector of a PromQL query, as [labels, value] pairs. */
  async query(promql: string): Promise<Array<[Record<string, string>, number]>> {
    const body = (await (await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result.map((r) => [r.metric, Number(r.value[1])]);
  }

  /** Polls `condition`; on timeout the error names `what` and, if given, what `state` says then. */
  async until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000, state?: () => Promise<string>): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await condition().catch(() => false))) {
      if (this.child.exitCode !== null) throw new Error(`Prometheus exited: ${this.output.join('').slice(-2000)}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}${state ? `: ${await state().catch(String)}` : ''}`);
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
