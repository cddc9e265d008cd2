import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from './processes';

describe('ManagedProcess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-managed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A process that prints its ready line, split across two writes, then far more than the kept output, then waits. */
  const chatty = (name: string) =>
    new ManagedProcess({
      name,
      command: process.execPath,
      args: [
        '-e',
        `process.stdout.write('… Kafka Server'); setTimeout(() => { process.stdout.write(' started\\n' + 'x'.repeat(60000) + '\\n'); }, 50); setInterval(() => {}, 1000);`,
      ],
      env: {},
      logFile: join(dir, `${name}.log`),
      readyLine: 'Kafka Server started',
      ready: async (p) => {
        await new Promise((r) => setTimeout(r, 300)); // the next poll comes after the flood, as under load
        return p.saidReadyLine;
      },
      readyTimeoutMs: 10_000,
    });

  it('remembers its ready line after more output than it keeps, also after a restart', async () => {
    const p = chatty('kafka-like');
    try {
      await p.start();
      expect(p.saidReadyLine).toBe(true);
      expect(p.output()).not.toContain('Kafka Server started'); // what readiness looked at before
      await p.stop('SIGKILL');
      await p.start();
      expect(p.saidReadyLine).toBe(true);
    } finally {
      await p.stop('SIGKILL');
      p.close();
    }
  });
});
