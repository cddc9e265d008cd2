import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntersectionType } from '@nestjs/mapped-types';
import { ConfigurationError, IndicatorEnvironment, KafkaEnvironment, loadEnvironment, MongoEnvironment } from './index';

class TestEnvironment extends IntersectionType(KafkaEnvironment, MongoEnvironment, IndicatorEnvironment) {}

const valid = { KAFKA_BROKERS: '127.0.0.1:9092', MONGO_URL: 'mongodb://127.0.0.1:27017/x' };

describe('loadEnvironment', () => {
  it('applies defaults and converts numbers', () => {
    const env = loadEnvironment(TestEnvironment, { ...valid, FIRST_YEAR: '2017' });
    expect(env.FIRST_YEAR).toBe(2017);
    expect(env.TOPIC_PARTITIONS).toBe(6);
    expect(env.SUPPRESSION_THRESHOLD).toBe(3);
    expect(env.RAW_RETENTION_DAYS).toBe(7);
  });

  it('names every wrong variable and the rule, without its value', () => {
    let error: unknown;
    try {
      loadEnvironment(TestEnvironment, { KAFKA_BROKERS: 'secret-broker', TOPIC_PARTITIONS: 'many', MONGO_URL: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['KAFKA_BROKERS', 'MONGO_URL', 'TOPIC_PARTITIONS']);
    expect((error as Error).message).toContain('KAFKA_BROKERS: must be a comma-separated list of host:port');
    expect((error as Error).message).not.toContain('secret-broker');
  });

  it('reports a missing required variable', () => {
    expect(() => loadEnvironment(TestEnvironment, { KAFKA_BROKERS: '127.0.0.1:9092' })).toThrow(/MONGO_URL/);
  });

  it('treats an empty value as unset so that the default applies', () => {
    expect(loadEnvironment(TestEnvironment, { ...valid, FIRST_YEAR: '' }).FIRST_YEAR).toBe(2015);
  });

  it('reads X from X_FILE, and a direct value wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'mongo');
    writeFileSync(file, 'mongodb://from-file:27017/db\n');
    expect(loadEnvironment(TestEnvironment, { KAFKA_BROKERS: valid.KAFKA_BROKERS, MONGO_URL_FILE: file }).MONGO_URL).toBe(
      'mongodb://from-file:27017/db',
    );
    expect(loadEnvironment(TestEnvironment, { ...valid, MONGO_URL_FILE: file }).MONGO_URL).toBe(valid.MONGO_URL);
    expect(() => loadEnvironment(TestEnvironment, { ...valid, MONGO_URL: '', MONGO_URL_FILE: join(dir, 'missing') })).toThrow(
      /MONGO_URL_FILE: file cannot be read \(ENOENT\)/,
    );
    // another program's *_FILE variable is ignored
    expect(loadEnvironment(TestEnvironment, { ...valid, TF_CLI_CONFIG_FILE: join(dir, 'missing') }).MONGO_URL).toBe(valid.MONGO_URL);
  });
});
