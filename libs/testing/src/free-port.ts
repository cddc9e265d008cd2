import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports handed out here lie below the kernel's ephemeral range (ip_local_port_range, usually
 * 32768–60999): a port the OS picks for `listen(0)` comes from that range, and so does the local port of
 * every outgoing connection — a Kafka client connecting somewhere could take it between our check and the
 * server's bind ("Address already in use" while a broker starts; seen in the benchmark under load). Below
 * the range only another freePort caller can take it, and it picks at random from ~12,000 ports.
 */
const LOWEST = 20_000;

function ephemeralStart(): number {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOWEST + 1000 ? start : 32_768;
  } catch {
    return 32_768; // not Linux: the IANA dynamic range starts at 49152, Linux's default at 32768
  }
}

const listensFreely = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A free TCP port on 127.0.0.1 (checked, then released) for a server a test starts. */
export async function freePort(): Promise<number> {
  const end = ephemeralStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (end - LOWEST));
    if (await listensFreely(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${end} after 200 tries`);
}
