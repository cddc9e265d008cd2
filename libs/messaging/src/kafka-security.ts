import { readFileSync } from 'node:fs';
import { ConfigurationError, type KafkaEnvironment } from '@sozialmonitor/config';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

type KafkaSecuritySettings = Pick<
  KafkaEnvironment,
  | 'NODE_ENV'
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
>;

/**
 * The TLS and SASL part of the kafkajs configuration from the environment (issue 11, hole 8;
 * docs/security.md). A broken combination stops the service with a ConfigurationError naming the
 * variables — never a password. Production refuses SASL/PLAIN without TLS (the password in clear).
 */
export function kafkaSecurityOf(
  env: KafkaSecuritySettings,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const problems: { variable: string; rule: string }[] = [];
  const pem = (variable: 'KAFKA_SSL_CA_FILE' | 'KAFKA_SSL_CERT_FILE' | 'KAFKA_SSL_KEY_FILE') => {
    const path = env[variable];
    if (!path) return undefined;
    if (!env.KAFKA_SSL) problems.push({ variable, rule: 'needs KAFKA_SSL=true' });
    try {
      return read(path);
    } catch (e) {
      problems.push({ variable, rule: `file cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      return undefined;
    }
  };
  const ca = pem('KAFKA_SSL_CA_FILE');
  const cert = pem('KAFKA_SSL_CERT_FILE');
  const key = pem('KAFKA_SSL_KEY_FILE');
  if ((cert === undefined) !== (key === undefined) && !problems.length)
    problems.push({ variable: 'KAFKA_SSL_CERT_FILE', rule: 'and KAFKA_SSL_KEY_FILE must be given together' });
  let sasl: SASLOptions | undefined;
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism) {
    if (!env.KAFKA_SASL_USERNAME) problems.push({ variable: 'KAFKA_SASL_USERNAME', rule: `is required with KAFKA_SASL_MECHANISM` });
    if (!env.KAFKA_SASL_PASSWORD) problems.push({ variable: 'KAFKA_SASL_PASSWORD', rule: `is required with KAFKA_SASL_MECHANISM` });
    if (mechanism === 'plain' && !env.KAFKA_SSL && env.NODE_ENV === 'production')
      problems.push({ variable: 'KAFKA_SASL_MECHANISM', rule: 'plain sends the password in clear: production needs KAFKA_SSL=true with it' });
    sasl = { mechanism, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' } as SASLOptions;
  } else if (env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD) {
    problems.push({ variable: 'KAFKA_SASL_MECHANISM', rule: 'is required with KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD' });
  }
  if (problems.length) throw new ConfigurationError(problems);
  return {
    ...(env.KAFKA_SSL ? { ssl: ca || cert ? { ...(ca ? { ca: [ca] } : {}), ...(cert ? { cert, key } : {}) } : true } : {}),
    ...(sasl ? { sasl } : {}),
  };
}
