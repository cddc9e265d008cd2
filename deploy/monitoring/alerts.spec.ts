import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

// promtool comes with Debian's prometheus package, which deploy/local/infra.sh installs (npm test runs it first).
const dir = join(__dirname, 'prometheus');
const promtool = (...args: string[]) => promtoolIn(dir, ...args);
const promtoolIn = (cwd: string, ...args: string[]) => {
  try {
    return execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool not found: npm run infra:up installs Debian’s prometheus package');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
};

describe('Prometheus alert rules (deploy/monitoring/prometheus)', () => {
  it('pass promtool check rules', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('Compose’s Prometheus configuration passes promtool check config (with the rules it loads)', () => {
    // the scrape token is Compose's secret /run/secrets/metrics_token, which promtool wants to exist: a copy
    // of the configuration points at a token file of the test's own
    const copy = mkdtempSync(join(tmpdir(), 'sm-promtool-'));
    writeFileSync(join(copy, 'metrics_token'), 'metrics-token-0123456789\n');
    copyFileSync(join(dir, 'alerts.yml'), join(copy, 'alerts.yml'));
    const config = readFileSync(join(dir, 'prometheus.yml'), 'utf8');
    expect(config).toContain('credentials_file: /run/secrets/metrics_token');
    writeFileSync(join(copy, 'prometheus.yml'), config.replaceAll('/run/secrets/metrics_token', join(copy, 'metrics_token')));
    expect(promtoolIn(copy, 'check', 'config', 'prometheus.yml')).toMatch(/SUCCESS: 8 rules found/);
  });

  it('pass their unit tests (promtool test rules alerts.test.yml)', () => {
    expect(promtool('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
  });

  it('every alert has a unit test, an action and a runbook anchor in docs/operations.md', () => {
    const rules = parse(readFileSync(join(dir, 'alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; annotations: Record<string, string> }[] }[] };
    const tests = readFileSync(join(dir, 'alerts.test.yml'), 'utf8');
    const runbook = readFileSync(join(__dirname, '../../docs/operations.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#+ (.+)$/gm)].map((m) => '#' + m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      expect(tests).toContain(`alertname: ${rule.alert}`);
      expect(rule.annotations.action).toBeTruthy();
      expect(anchors).toContain(rule.annotations.runbook.replace('docs/operations.md', ''));
    }
  });
});
