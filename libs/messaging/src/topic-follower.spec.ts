import { TOPICS } from '@sozialmonitor/contracts';
import type { Kafka } from 'kafkajs';
import type { ConsumedEvent } from './cloud-event';
import { type FollowerLog, TopicFollower } from './topic-follower';

type EachBatch = (payload: {
  batch: { topic: string; partition: number; messages: Array<{ offset: string; key: Buffer; value: Buffer; headers: object }>; lastOffset(): string };
}) => Promise<void>;

const TOPIC = 'test.catalogue';

/** A broker of one topic with one partition: `high` is its end offset; `deliver` hands the consumer a batch. */
class FakeKafka {
  high = 0;
  connectFailures = 0;
  deleteFails = false;
  readonly groups: string[] = [];
  readonly deleted: string[] = [];
  readonly disconnected: string[] = [];
  eachBatch?: EachBatch;

  admin() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      listTopics: async () => [TOPIC],
      fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: String(this.high) }],
      deleteGroups: async (ids: string[]) => {
        if (this.deleteFails) throw new Error('coordinator not available');
        this.deleted.push(...ids);
      },
    };
  }

  consumer({ groupId }: { groupId: string }) {
    this.groups.push(groupId);
    return {
      connect: async () => {
        if (this.connectFailures-- > 0) throw new Error('broker down');
      },
      subscribe: async () => undefined,
      run: async ({ eachBatch }: { eachBatch: EachBatch }) => {
        this.eachBatch = eachBatch;
      },
      disconnect: async () => {
        this.disconnected.push(groupId);
      },
    };
  }

  async deliver(from: number, to: number): Promise<void> {
    const messages = [];
    for (let o = from; o < to; o++) messages.push({ offset: String(o), key: Buffer.from(`k${o}`), value: Buffer.from('{}'), headers: {} });
    await this.eachBatch!({ batch: { topic: TOPIC, partition: 0, messages, lastOffset: () => String(to - 1) } });
  }
}

const quietLog = (): FollowerLog & { warnings: string[]; errors: string[] } => {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, log: () => undefined, warn: (m) => warnings.push(m), error: (m) => errors.push(m) };
};

const follower = (kafka: FakeKafka, log: FollowerLog, handler: (events: ConsumedEvent[]) => void) =>
  new TopicFollower(kafka as unknown as Kafka, {
    topic: TOPIC,
    contractTopic: TOPICS.catalogue,
    groupPrefix: 'test.catalogue',
    replicationFactor: 1,
    log,
    handler,
  });

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('TopicFollower', () => {
  it('resolves start only once everything on the topic at the call is handled, and catchUp waits for later writes', async () => {
    const kafka = new FakeKafka();
    kafka.high = 3;
    const seen: string[] = [];
    const f = follower(kafka, quietLog(), (events) => seen.push(...events.map((e) => e.offset)));
    let started = false;
    const start = f.start().then(() => (started = true));
    await flush();
    await kafka.deliver(0, 2);
    await flush();
    expect(started).toBe(false);
    await kafka.deliver(2, 3);
    await start;
    expect(seen).toEqual(['0', '1', '2']);

    kafka.high = 5; // another instance wrote two more
    let caughtUp = false;
    const catchUp = f.catchUp(10_000).then(() => (caughtUp = true));
    await flush();
    expect(caughtUp).toBe(false);
    await kafka.deliver(3, 5);
    await catchUp;
    expect(seen).toHaveLength(5);
  });

  it('logs a failing batch and still counts it as read', async () => {
    const kafka = new FakeKafka();
    kafka.high = 1;
    const log = quietLog();
    const f = follower(kafka, log, () => {
      throw new Error('damaged message');
    });
    const start = f.start();
    await flush();
    await kafka.deliver(0, 1);
    await start;
    expect(log.errors).toEqual([`${TOPIC}: batch skipped: damaged message`]);
  });

  it('releases the consumer of a failed start, and the next start tries again with a new group', async () => {
    const kafka = new FakeKafka();
    kafka.connectFailures = 1;
    const f = follower(kafka, quietLog(), () => undefined);
    await expect(f.start()).rejects.toThrow('broker down');
    expect(kafka.disconnected).toEqual([kafka.groups[0]]);
    expect(kafka.deleted).toEqual([kafka.groups[0]]);
    await f.start(); // the topic is empty: caught up at once
    expect(kafka.groups).toHaveLength(2);
    expect(kafka.groups[1]).not.toBe(kafka.groups[0]);
  });

  it('stops without throwing when its group cannot be deleted, and says so', async () => {
    const kafka = new FakeKafka();
    const log = quietLog();
    const f = follower(kafka, log, () => undefined);
    await f.start();
    kafka.deleteFails = true;
    await f.stop();
    expect(kafka.disconnected).toEqual(kafka.groups);
    expect(log.warnings).toEqual([expect.stringContaining(`consumer group ${kafka.groups[0]} not deleted`)]);
  });
});
