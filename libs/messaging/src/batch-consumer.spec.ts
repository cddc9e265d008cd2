import { HealthIndicatorService } from '@nestjs/terminus';
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { BatchConsumer, consumerOfGroup, registeredConsumers, runningGroupConsumers } from './batch-consumer';
import { ConsumersHealthIndicator } from './consumers.health';
import type { EventPublisher } from './event-publisher';

const CRASH = 'consumer.crash';

/** A kafkajs consumer that records what was asked of it; `failConnects` connects fail first. */
class FakeConsumer extends EventEmitter {
  readonly events = { CRASH };
  connected = false;
  constructor(private readonly kafka: FakeKafka) {
    super();
  }
  async connect() {
    this.kafka.connects++;
    if (this.kafka.failConnects-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' });
    this.connected = true;
  }
  async subscribe() {}
  async run() {
    await this.kafka.holdRun;
  }
  async disconnect() {
    this.connected = false;
  }
  crash(error: Error) {
    this.connected = false;
    this.emit(CRASH, { payload: { error, restart: false } });
  }
}

class FakeKafka {
  /** While set, every consumer's run() (kafkajs: joining the group) waits for it. */
  holdRun?: Promise<void>;
  connects = 0;
  failConnects = 0;
  readonly consumers: FakeConsumer[] = [];
  consumer() {
    const c = new FakeConsumer(this);
    this.consumers.push(c);
    return c;
  }
  get latest() {
    return this.consumers[this.consumers.length - 1];
  }
}

let group = 0;
const consumerOn = (kafka: FakeKafka, perInstance = false, sessionTimeoutMs?: number) =>
  new BatchConsumer(kafka as unknown as Kafka, {} as EventPublisher, {
    perInstance,
    sessionTimeoutMs,
    service: 'test',
    groupId: `group-${++group}`,
    topics: ['t'],
    handler: async () => undefined,
    retryBackoffMs: 5,
    maxBackoffMs: 20,
    log: () => undefined,
  });
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
};
const readiness = () => new ConsumersHealthIndicator(new HealthIndicatorService());

describe('BatchConsumer', () => {
  afterEach(async () => Promise.all(registeredConsumers().map((c) => c.stop())));

  it('a start whose connect failed leaves it not running and unhealthy; the next start connects', async () => {
    const kafka = new FakeKafka();
    kafka.failConnects = 1;
    const consumer = consumerOn(kafka);
    await expect(consumer.start()).rejects.toThrow('ECONNREFUSED');
    expect([consumer.running, consumer.healthy]).toEqual([false, false]);
    expect((await readiness().isHealthy()).consumers.status).toBe('down');
    await consumer.start();
    expect([consumer.running, consumer.healthy, kafka.latest.connected]).toEqual([true, true, true]);
    expect((await readiness().isHealthy()).consumers.status).toBe('up');
  });

  it('leaves per-instance listeners out of the group lag (their first commit comes with their first message)', async () => {
    const kafka = new FakeKafka();
    const group = consumerOn(kafka);
    const listener = consumerOn(kafka, true);
    await Promise.all([group.start(), listener.start()]);
    expect(runningGroupConsumers()).toEqual([group]);
  });

  it('a start that failed is retried in the background until the consumer runs', async () => {
    const kafka = new FakeKafka();
    kafka.failConnects = 3;
    const consumer = consumerOn(kafka);
    await expect(consumer.start()).rejects.toThrow('ECONNREFUSED');
    await until(() => consumer.running);
    expect([consumer.running, kafka.connects]).toEqual([true, 4]);
  });

  it('a stopped consumer leaves the registry (a replay notice cannot restart it); a paused one stays and resumes', async () => {
    const kafka = new FakeKafka();
    const consumer = consumerOn(kafka);
    await consumer.start();
    await consumer.pause();
    expect([consumerOfGroup(consumer.groupId), consumer.running, consumer.healthy]).toEqual([consumer, false, true]);
    await consumerOfGroup(consumer.groupId)!.resume();
    expect(consumer.running).toBe(true);
    await consumer.stop();
    expect(consumerOfGroup(consumer.groupId)).toBeUndefined();
    await consumer.resume(); // e.g. a replay-finished notice reaching a consumer stopped meanwhile
    expect([consumer.running, kafka.consumers.length]).toEqual([false, 2]);
  });

  it('is not ready while it first joins, but stays ready while it rejoins after a replay, for a session timeout', async () => {
    const kafka = new FakeKafka();
    const consumer = consumerOn(kafka, false, 300);
    let release!: () => void;
    kafka.holdRun = new Promise<void>((r) => (release = r));
    const started = consumer.start();
    await until(() => kafka.consumers.length === 1);
    expect([consumer.healthy, consumer.problem]).toEqual([false, 'joining the consumer group']);
    release();
    await started;
    await consumer.pause();
    kafka.holdRun = new Promise<void>((r) => (release = r));
    const resumed = consumer.resume();
    await until(() => kafka.consumers.length === 2);
    expect([consumer.running, consumer.healthy]).toEqual([false, true]);
    await new Promise((r) => setTimeout(r, 350)); // longer than its session timeout: something is wrong now
    expect([consumer.healthy, consumer.problem]).toEqual([false, 'joining the consumer group']);
    release();
    await resumed;
    expect([consumer.running, consumer.healthy]).toEqual([true, true]);
  });

  it('a crash kafkajs does not restart from makes it unready, and it starts again by itself', async () => {
    const kafka = new FakeKafka();
    const consumer = consumerOn(kafka);
    await consumer.start();
    kafka.failConnects = 2; // Kafka still unreachable for the first two restarts
    kafka.latest.crash(Object.assign(new Error('group coordinator gone'), { name: 'KafkaJSProtocolError' }));
    expect(consumer.healthy).toBe(false);
    expect(JSON.stringify(await readiness().isHealthy())).toContain('crashed: KafkaJSProtocolError');
    await until(() => consumer.running);
    expect([consumer.running, consumer.healthy, kafka.connects, kafka.latest.connected]).toEqual([true, true, 4, true]);
  });

  it('a consumer stopped while its restart is pending stays stopped', async () => {
    const kafka = new FakeKafka();
    const consumer = consumerOn(kafka);
    await consumer.start();
    kafka.latest.crash(new Error('gone'));
    await consumer.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect([consumer.running, kafka.connects]).toEqual([false, 1]);
  });
});
