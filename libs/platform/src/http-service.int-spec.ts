import { Controller, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type ConsumedEvent,
  createKafka,
  DependencyUnavailableError,
  ensureTopics,
  EventPublisher,
} from '@sozialmonitor/messaging';
import { randomUUID } from 'node:crypto';
import { createHttpService } from './http-service';
import { PlatformModule } from './platform.module';

const waitUntil = async (check: () => boolean, what: string, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not reached in time: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * The consumer of a service as `createHttpService` wires it: Nest's RPC layer between the batch
 * consumer and the `@EventPattern` handler must hand the handler's own error through (Nest's default
 * filter turns it into a generic "Internal server error", and a dependency failure would then be
 * taken for a poison message and dead-lettered).
 */
describe('createHttpService consumer', () => {
  const run = randomUUID().slice(0, 8);
  const topic = `test.http-service.${run}`;
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!,
    clientId: 'http-service-test',
    log: () => undefined,
  });
  const publisher = new EventPublisher(kafka);
  const calls: string[][] = [];
  let failuresLeft = 3;

  @Controller()
  class Handler {
    @EventPattern(topic)
    async onBatch(@Payload() events: ConsumedEvent[]): Promise<void> {
      calls.push(events.map((e) => e.id));
      if (failuresLeft-- > 0) throw new DependencyUnavailableError('database unavailable');
    }
  }

  @Module({
    imports: [PlatformModule.forRoot({ service: 'http-service-test', logLevel: 'silent' })],
    controllers: [Handler],
  })
  class TestModule {}

  afterAll(async () => {
    await publisher.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([`test-http-service-${run}`]).catch(() => undefined);
    await admin.disconnect();
  });

  it('keeps a batch whose handler reports a dependency failure and hands it again until it succeeds', async () => {
    await ensureTopics(kafka, [{ name: topic, config: {} }], { partitions: 1, replicationFactor: 1 });
    await publisher.publish([
      {
        topic,
        key: 'k',
        id: `${run}-1`,
        type: 'de.sozialmonitor.test.v1',
        source: '/sozialmonitor/test',
        data: { n: 1 },
      },
    ]);
    const app = await createHttpService(TestModule, {
      service: 'http-service-test',
      port: 0,
      consumer: () => ({
        kafka,
        deadLetters: publisher,
        service: 'http-service-test',
        groupId: `test-http-service-${run}`,
        fromBeginning: true,
        maxRetries: 0, // a poison message would be dead-lettered after its first retry
      }),
    });
    try {
      await app.init();
      await app.startAllMicroservices();
      await waitUntil(() => calls.length >= 4, 'the batch handled after three dependency failures');
      // never dead-lettered: every call carried the message, and the fourth succeeded
      expect(calls.every((ids) => ids.includes(`${run}-1`))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
