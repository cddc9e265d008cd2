import { execFileSync } from 'node:child_process';
import { addressesFromEnvironment } from './infrastructure-addresses';

type Stoppable = { stop(): Promise<unknown> };
declare global {
  var __SM_CONTAINERS__: Stoppable[] | undefined;
}

function dockerEngineRuns(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Integration tests talk to real servers. Addresses come from the environment (or the file
 * `npm run infra:up` writes); where none are set and a Docker engine runs, testcontainers starts them.
 */
export default async function globalSetup(): Promise<void> {
  const found = addressesFromEnvironment();
  if (found) {
    Object.assign(process.env, found);
    return;
  }
  if (!dockerEngineRuns()) {
    throw new Error(
      'Integration tests need Kafka, MongoDB and Redis: set KAFKA_BROKERS, MONGO_URL and REDIS_URL, ' +
        'or run `npm run infra:up` (starts them without Docker), or run a Docker engine for testcontainers.',
    );
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const { RedisContainer } = await import('@testcontainers/redis');
  console.log('starting Kafka, MongoDB and Redis with testcontainers …');
  const [kafka, mongo, redis] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().withExposedPorts(9093).start(),
    new MongoDBContainer('mongo:7').start(),
    new RedisContainer('redis:7').start(),
  ]);
  globalThis.__SM_CONTAINERS__ = [kafka, mongo, redis];
  process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  process.env.MONGO_URL = `${mongo.getConnectionString()}/sozialmonitor?directConnection=true`;
  process.env.REDIS_URL = redis.getConnectionUrl();
}
