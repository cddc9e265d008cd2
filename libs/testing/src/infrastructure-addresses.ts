import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface InfrastructureAddresses {
  KAFKA_BROKERS: string;
  MONGO_URL: string;
  REDIS_URL: string;
}

const KEYS = ['KAFKA_BROKERS', 'MONGO_URL', 'REDIS_URL'] as const;

/** Parses the `KEY=value` lines that `npm run infra:up` writes to `.local/run/infra.env`. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/**
 * Where the integration tests find Kafka, MongoDB and Redis: the environment first, then the file the
 * local scripts wrote. Returns null when neither names all three (then testcontainers may start them).
 */
export function addressesFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  envFile = join(__dirname, '../../../.local/run/infra.env'),
): InfrastructureAddresses | null {
  const fromFile = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, 'utf8')) : {};
  const pick = (k: (typeof KEYS)[number]) => env[k] || fromFile[k];
  if (KEYS.every((k) => pick(k))) {
    return { KAFKA_BROKERS: pick('KAFKA_BROKERS')!, MONGO_URL: pick('MONGO_URL')!, REDIS_URL: pick('REDIS_URL')! };
  }
  return null;
}
