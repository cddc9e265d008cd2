import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './free-port';

describe('freePort', () => {
  it('hands out distinct ports below the kernel ephemeral range that a server can listen on', async () => {
    const ephemeral = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ephemeral);
    }
    expect(new Set(ports).size).toBeGreaterThan(15); // random over ~12,000 ports
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('skips a port that is taken and tries another', async () => {
    const [busy, free] = [await freePort(), await freePort()];
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(busy, '127.0.0.1', resolve));
    const ephemeral = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const pick = (port: number) => (port - 20_000 + 0.5) / (ephemeral - 20_000);
    const random = jest.spyOn(Math, 'random').mockReturnValueOnce(pick(busy)).mockReturnValueOnce(pick(free));
    try {
      expect(await freePort()).toBe(free);
    } finally {
      random.mockRestore();
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
