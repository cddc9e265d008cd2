import { CloudEvent, Kafka as CeKafka } from 'cloudevents';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { TOPICS, topicSettings } from '@sozialmonitor/contracts';
import {
  BatchConsumer,
  type BatchProgress,
  type ConsumedEvent,
  ConsumerGroupAdmin,
  DEAD_LETTER_HEADERS,
  DependencyUnavailableError,
  EventPublisher,
  createKafka,
  ensureTopics,
  headersToStrings,
  jsonOf,
  readTopic,
} from './index';

const quiet = () => undefined;
const waitUntil = async (check: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('messaging over a real Kafka broker', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  const consumers: BatchConsumer[] = [];
  const run = randomUUID().slice(0, 8);
  const topic = `test.messaging.${run}`;

  beforeAll(async () => {
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'messaging-int-test', log: quiet });
    await ensureTopics(kafka, [...topicSettings(), { name: topic, config: {} }], {
      partitions: 1,
      replicationFactor: 1,
    });
    publisher = new EventPublisher(kafka);
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await publisher.disconnect();
  });

  const event = (i: number, data: object = { i }) => ({
    topic,
    key: `k:${i}`,
    id: `${run}-id-${i}`,
    type: 'de.sozialmonitor.test.v1',
    source: '/sozialmonitor/test',
    subject: `s${i}`,
    time: '2026-01-02T03:04:05.000Z',
    data,
  });

  function consume(
    groupId: string,
    handler: (events: ConsumedEvent[]) => Promise<void>,
    maxRetries = 2,
    progress?: BatchProgress,
  ) {
    const c = new BatchConsumer(kafka, publisher, {
      progress,
      service: 'test-service',
      groupId,
      topics: [topic],
      fromBeginning: true,
      maxRetries,
      retryBackoffMs: 20,
      handler,
      log: quiet,
    });
    consumers.push(c);
    return c;
  }

  it('creates topics idempotently', async () => {
    const again = await ensureTopics(kafka, topicSettings(), { partitions: 1, replicationFactor: 1 });
    expect(again).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    const cfg = await admin.describeConfigs({
      resources: [{ type: 2, name: TOPICS.lake, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();
    expect(cfg.resources[0].configEntries[0].configValue).toBe('compact');
  });

  it('publishes a CloudEvent that comes back with every header and that the SDK parses', async () => {
    await publisher.publish([event(1)]);
    const seen: ConsumedEvent[] = [];
    const c = consume(`g-roundtrip-${randomUUID()}`, async (events) => void seen.push(...events));
    await c.start();
    await waitUntil(() => seen.some((e) => e.id === `${run}-id-1`));
    const got = seen.find((e) => e.id === `${run}-id-1`)!;
    expect(got).toMatchObject({
      key: 'k:1',
      type: 'de.sozialmonitor.test.v1',
      source: '/sozialmonitor/test',
      subject: 's1',
      time: '2026-01-02T03:04:05.000Z',
      specversion: '1.0',
      contentType: 'application/json',
    });
    expect(jsonOf(got)).toEqual({ i: 1 });
    const ce = CeKafka.toEvent({
      key: got.key!,
      headers: got.headers,
      value: got.value,
      body: got.value,
    } as unknown as Parameters<typeof CeKafka.toEvent>[0]) as CloudEvent<{ i: number }>;
    expect(ce.id).toBe(`${run}-id-1`);
    expect(ce.data).toEqual({ i: 1 });
  });

  it('publishes more than the broker takes in one request (1 MiB) to a one-partition topic', async () => {
    const big = Array.from({ length: 2000 }, (_, i) => event(10_000 + i, { i, pad: 'x'.repeat(600) }));
    await publisher.publish(big); // ~1.5 MB: refused by the broker if sent as one record batch
    const seen = new Set<string>();
    const c = consume(`g-big-${randomUUID()}`, async (events) => {
      for (const e of events) seen.add(e.id);
    });
    await c.start();
    await waitUntil(() => big.every((e) => seen.has(e.id)));
  });

  it('dead-letters a poison message after the retries while later messages flow', async () => {
    const poison = 100;
    await publisher.publish([event(poison, { poison: true }), event(101), event(102)]);
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const group = `g-poison-${randomUUID()}`;
    const c = consume(group, async (events) => {
      for (const e of events) attempts.set(e.id, (attempts.get(e.id) ?? 0) + 1);
      if (events.some((e) => jsonOf<{ poison?: boolean }>(e).poison)) throw new TypeError('field "x" breaks rule y');
      handled.push(...events.map((e) => e.id));
    });

    await c.start();
    await waitUntil(() => handled.includes(`${run}-id-102`));
    // the dead-letter topic's tail (it may hold many letters of earlier runs)
    let letter: ConsumedEvent | undefined;
    const end = Date.now() + 30_000;
    while (!letter && Date.now() < end) {
      letter = (await readTopic(kafka, TOPICS.deadLetter, { limit: 200 })).find(
        (d) => d.headers.sm_original_ce_id === `${run}-id-100`,
      );
    }
    if (!letter) throw new Error('no dead letter');
    expect(letter.key).toBe('k:100');
    expect(letter.headers[DEAD_LETTER_HEADERS.topic]).toBe(topic);
    expect(letter.headers[DEAD_LETTER_HEADERS.service]).toBe('test-service');
    expect(letter.headers[DEAD_LETTER_HEADERS.error]).toBe('TypeError: field "x" breaks rule y');
    expect(letter.type).toBe('de.sozialmonitor.deadletter.v1');
    expect(jsonOf(letter)).toEqual({ poison: true });
    // first the whole batch, then alone: 1 + maxRetries (2) more attempts
    expect(attempts.get(`${run}-id-100`)).toBeGreaterThanOrEqual(3);
    expect(handled).toEqual(expect.arrayContaining([`${run}-id-101`, `${run}-id-102`]));
    expect(handled).not.toContain(`${run}-id-100`);
  });

  it("reports each batch's high watermark, its end (dead letters included) and the assignment", async () => {
    await publisher.publish([event(150), event(151, { poison: true })]);
    const fetched: { partition: number; high: number }[] = [];
    const processed: number[] = [];
    const assigned: number[][] = [];
    const c = consume(
      `g-progress-${randomUUID()}`,
      async (events) => {
        if (events.some((e) => jsonOf<{ poison?: boolean }>(e).poison)) throw new TypeError('poison');
      },
      0,
      {
        fetched: (partition, high) => fetched.push({ partition, high }),
        processed: (_partition, last) => processed.push(last),
        assigned: (assignment) => assigned.push(assignment[topic] ?? []),
      },
    );
    await c.start();
    const [{ high }] = await new ConsumerGroupAdmin(kafka).bounds(topic);
    // the last batch ends at the topic's end although its last message was dead-lettered
    await waitUntil(() => processed.includes(Number(high) - 1));
    expect(assigned).toContainEqual([0]);
    expect(fetched.every((f) => f.partition === 0 && f.high <= Number(high))).toBe(true);
    expect(fetched.at(-1)?.high).toBe(Number(high));
  });

  it('keeps a batch uncommitted while a dependency is down and processes it when it is back', async () => {
    await publisher.publish([event(200)]);
    let down = true;
    const handled: string[] = [];
    let failures = 0;
    const c = consume(
      `g-dep-${randomUUID()}`,
      async (events) => {
        if (down) {
          failures++;
          throw new DependencyUnavailableError('database unavailable');
        }
        handled.push(...events.map((e) => e.id));
      },
      0,
    );
    await c.start();
    await waitUntil(() => failures >= 3);
    expect(handled).toHaveLength(0);
    down = false;
    await waitUntil(() => handled.includes(`${run}-id-200`));
  });

  it('redelivers a batch to the next consumer when the first stopped before committing', async () => {
    const marker = randomUUID();
    await publisher.publish([event(300, { marker })]);
    const group = `g-redeliver-${randomUUID()}`;
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let sawFirst = false;
    const first = consume(
      group,
      async (events) => {
        if (events.some((e) => e.id === `${run}-id-300`)) {
          sawFirst = true;
          await blocked; // never completes before the crash below
          throw new Error('crashed');
        }
      },
      0,
    );
    await first.start();
    await waitUntil(() => sawFirst);
    // Simulate a crash: the group session ends without a commit for this batch.
    const stopping = first.stop();
    release();
    await stopping;
    const second: string[] = [];
    const next = consume(group, async (events) => void second.push(...events.map((e) => e.id)));
    await next.start();
    await waitUntil(() => second.includes(`${run}-id-300`));
  });

  it('keeps its membership while a handler works longer than the session timeout, and handles the batch once', async () => {
    await publisher.publish([event(400), event(401)]);
    const calls: string[][] = [];
    const c = new BatchConsumer(kafka, publisher, {
      service: 'test-service',
      groupId: `g-slow-${randomUUID()}`,
      topics: [topic],
      fromBeginning: true,
      sessionTimeoutMs: 6000,
      log: quiet,
      handler: async (events) => {
        const ids = events.map((e) => e.id).filter((id) => id.endsWith('-400') || id.endsWith('-401'));
        if (ids.length === 0) return;
        calls.push(ids);
        await new Promise((r) => setTimeout(r, 9000)); // longer than the session timeout
      },
    });
    consumers.push(c);
    await c.start();
    await waitUntil(() => calls.length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 12_000));
    // one handler call covered both messages and was committed: no rebalance, no second delivery
    expect(calls.flat().sort()).toEqual([`${run}-id-400`, `${run}-id-401`]);
  });

  it('hands large batches to the handler in chunks of maxBatchSize', async () => {
    await publisher.publish(Array.from({ length: 25 }, (_, i) => event(500 + i)));
    const sizes: number[] = [];
    const c = new BatchConsumer(kafka, publisher, {
      service: 'test-service',
      groupId: `g-chunks-${randomUUID()}`,
      topics: [topic],
      fromBeginning: true,
      maxBatchSize: 10,
      log: quiet,
      handler: async (events) => void sizes.push(events.length),
    });
    consumers.push(c);
    await c.start();
    await waitUntil(() => sizes.reduce((a, b) => a + b, 0) >= 25);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });

  it('decodes array headers as strings', () => {
    expect(headersToStrings({ a: [Buffer.from('1'), Buffer.from('2')], b: 'x' })).toEqual({ a: '2', b: 'x' });
  });
});
