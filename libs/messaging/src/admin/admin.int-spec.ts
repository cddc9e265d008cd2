import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { topicSettings } from '@sozialmonitor/contracts';
import { BatchConsumer, DeadLetterAdmin, EventPublisher, ReplayCoordinator, createKafka, ensureTopics, type ConsumedEvent } from '../index';

const quiet = () => undefined;
const waitUntil = async (check: () => boolean | Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('admin: replay, lag and dead letters over a real broker', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  const run = randomUUID().slice(0, 8);
  const topic = `test.admin.${run}`;
  const service = `test-admin-${run}`;
  const groupId = `g-admin-${run}`;
  const seen: string[] = [];
  let consumer: BatchConsumer;
  let coordinator: ReplayCoordinator;
  let poison = true;

  beforeAll(async () => {
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'admin-int-test', log: quiet });
    await ensureTopics(kafka, [...topicSettings(), { name: topic, config: {} }], { partitions: 2, replicationFactor: 1 });
    publisher = new EventPublisher(kafka);
    consumer = new BatchConsumer(kafka, publisher, {
      service,
      groupId,
      topics: [topic],
      fromBeginning: true,
      maxRetries: 0,
      retryBackoffMs: 10,
      log: quiet,
      handler: async (events: ConsumedEvent[]) => {
        if (poison && events.some((e) => e.id.endsWith('poison'))) throw new Error('field x: rule y');
        seen.push(...events.map((e) => e.id));
      },
    });
    coordinator = new ReplayCoordinator(kafka, publisher, service, groupId);
    await coordinator.start();
    await consumer.start();
  });
  afterAll(async () => {
    await consumer.stop();
    await coordinator.stop();
    await publisher.disconnect();
  });

  const event = (id: string) => ({ topic, key: id, id: `${run}-${id}`, type: 'de.sozialmonitor.test.v1', source: '/sozialmonitor/test', data: { id } });

  it('replays the group from the beginning, reports lag and progress, and keeps an audit trail', async () => {
    await publisher.publish(['a', 'b', 'c'].map(event));
    await waitUntil(() => ['a', 'b', 'c'].every((x) => seen.includes(`${run}-${x}`)));
    await waitUntil(async () => (await coordinator.lag([topic])).every((p) => p.lag === 0));

    const dry = await coordinator.request({ topic, from: 'earliest', dryRun: true, requestedBy: 'tester' });
    expect(dry.state).toBe('planned');
    expect(dry.positions.map((p) => p.target)).toEqual(['0', '0']);
    expect(dry.positions.reduce((s, p) => s + Number(p.end), 0)).toBe(3);

    const before = seen.length;
    const started = await coordinator.request({ topic, from: 'earliest', requestedBy: 'tester' });
    await waitUntil(() => coordinator.status(started.replayId)?.state === 'finished');
    expect(seen.length - before).toBe(3);
    expect(coordinator.status(started.replayId)?.progress).toEqual({ done: 3, total: 3 });
    await waitUntil(async () => (await coordinator.audit()).some((n) => n.replayId === started.replayId && n.status === 'finished'));
    const audit = (await coordinator.audit()).find((n) => n.replayId === started.replayId)!;
    expect(audit).toMatchObject({ requestedBy: 'tester', topic, groupId, status: 'finished' });

    await expect(coordinator.request({ topic: 'not.mine', from: 'earliest', requestedBy: 'x' })).rejects.toThrow(/not consumed/);
    await expect(coordinator.request({ topic, from: 'last tuesday', requestedBy: 'x' })).rejects.toThrow(/earliest/);
  });

  it('lists dead letters without payload and re-drives one to its topic', async () => {
    await publisher.publish([event('poison')]);
    const admin = new DeadLetterAdmin(kafka, publisher);
    let letter: Awaited<ReturnType<DeadLetterAdmin['list']>>[number] | undefined;
    await waitUntil(async () => {
      letter = (await admin.list({ service })).find((l) => l.originalId === `${run}-poison`);
      return letter !== undefined;
    });
    expect(letter).toMatchObject({ originalTopic: topic, service, error: 'Error: field x: rule y' });
    expect(JSON.stringify(letter)).not.toContain('"data"');
    poison = false;
    const result = await admin.redrive([`${letter!.partition}:${letter!.offset}`, '9:999999'], service);
    expect(result.unknown).toEqual(['9:999999']);
    await waitUntil(() => seen.includes(`${run}-poison`));
  });
});
