import { ConfigurationError } from '@sozialmonitor/config';
import { kafkaSecurityOf } from './kafka-security';

const base = { NODE_ENV: 'development', KAFKA_SSL: false };
const files: Record<string, string> = { '/ca.pem': 'CA', '/cert.pem': 'CERT', '/key.pem': 'KEY' };
const read = (path: string) => {
  if (!(path in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return files[path];
};
const rules = (env: object) => {
  try {
    kafkaSecurityOf({ ...base, ...env }, read);
  } catch (e) {
    if (e instanceof ConfigurationError) return e.problems.map((p) => `${p.variable}: ${p.rule}`);
    throw e;
  }
  return [];
};

describe('Kafka TLS and SASL from the environment (issue 11, hole 8)', () => {
  it('adds nothing by default (the local broker is plaintext)', () => {
    expect(kafkaSecurityOf(base, read)).toEqual({});
  });

  it('turns on TLS with the system CAs, or with the given CA and client certificate', () => {
    expect(kafkaSecurityOf({ ...base, KAFKA_SSL: true }, read)).toEqual({ ssl: true });
    expect(
      kafkaSecurityOf(
        { ...base, KAFKA_SSL: true, KAFKA_SSL_CA_FILE: '/ca.pem', KAFKA_SSL_CERT_FILE: '/cert.pem', KAFKA_SSL_KEY_FILE: '/key.pem' },
        read,
      ),
    ).toEqual({ ssl: { ca: ['CA'], cert: 'CERT', key: 'KEY' } });
  });

  it('passes SASL/SCRAM credentials', () => {
    expect(
      kafkaSecurityOf(
        { ...base, KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'sm', KAFKA_SASL_PASSWORD: 'pw-secret' },
        read,
      ),
    ).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'sm', password: 'pw-secret' } });
  });

  it('names every broken combination, never the password', () => {
    expect(rules({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toEqual([
      'KAFKA_SASL_USERNAME: is required with KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_PASSWORD: is required with KAFKA_SASL_MECHANISM',
    ]);
    expect(rules({ KAFKA_SASL_PASSWORD: 'pw-secret' })).toEqual([
      'KAFKA_SASL_MECHANISM: is required with KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD',
    ]);
    expect(rules({ KAFKA_SSL_CA_FILE: '/ca.pem' })).toEqual(['KAFKA_SSL_CA_FILE: needs KAFKA_SSL=true']);
    expect(rules({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: '/missing.pem' })).toEqual([
      'KAFKA_SSL_CA_FILE: file cannot be read (ENOENT)',
    ]);
    expect(rules({ KAFKA_SSL: true, KAFKA_SSL_CERT_FILE: '/cert.pem' })).toEqual([
      'KAFKA_SSL_CERT_FILE: and KAFKA_SSL_KEY_FILE must be given together',
    ]);
    const plain = { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'sm', KAFKA_SASL_PASSWORD: 'pw-secret' };
    expect(rules(plain)).toEqual([]);
    expect(rules({ ...plain, NODE_ENV: 'production' })).toEqual([
      'KAFKA_SASL_MECHANISM: plain sends the password in clear: production needs KAFKA_SSL=true with it',
    ]);
    expect(JSON.stringify(rules({ ...plain, NODE_ENV: 'production' }))).not.toContain('pw-secret');
  });
});
