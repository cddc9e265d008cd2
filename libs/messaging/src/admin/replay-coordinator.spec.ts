import type { Kafka } from 'kafkajs';
import { BatchConsumer, consumerOfGroup, registeredConsumers } from '../batch-consumer';
import type { EventPublisher } from '../event-publisher';
import { ReplayCoordinator } from './replay-coordinator';

/** A kafkajs admin answering the replay's plan for one partition; `describeGroups` fails like an unreachable broker. */
const adminAnswering = () => ({
  connect: async () => undefined,
  disconnect: async () => undefined,
  fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: '10', offset: '10' }],
  fetchOffsets: async () => [{ topic: 'lake', partitions: [{ partition: 0, offset: '7' }] }],
  describeGroups: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' })),
});

describe('ReplayCoordinator', () => {
  const unhandled = jest.fn();
  beforeAll(() => process.on('unhandledRejection', unhandled));
  afterAll(() => process.off('unhandledRejection', unhandled));
  afterEach(async () => Promise.all(registeredConsumers().map((c) => c.stop())));

  const publisher = { publish: jest.fn(async () => undefined) } as unknown as EventPublisher;
  const kafka = { admin: adminAnswering } as unknown as Kafka;

  it('an instance whose own consumer never ran (a kpi-calculation follower) accepts a replay of the topics it is configured with', async () => {
    const coordinator = new ReplayCoordinator(kafka, publisher, 'kpi-calculation', 'never-led', () => undefined, ['lake']);
    const planned = await coordinator.request({ topic: 'lake', from: 'earliest', dryRun: true, requestedBy: 'test' });
    expect([planned.state, planned.positions]).toEqual(['planned', [{ partition: 0, target: '0', end: '10', committedBefore: '7' }]]);
    await expect(coordinator.request({ topic: 'raw', from: 'earliest', dryRun: true, requestedBy: 'test' })).rejects.toThrow(
      'topic raw is not consumed by kpi-calculation',
    );
  });

  it('when the replay fails because Kafka is down, resuming the paused consumer is retried, never an unhandled rejection', async () => {
    const log: string[] = [];
    const coordinator = new ReplayCoordinator(kafka, publisher, 'anonymization', 'replayed', (m) => log.push(m), ['raw']);
    const own = new BatchConsumer({} as Kafka, publisher, { service: 'anonymization', groupId: 'replayed', topics: ['raw'], handler: async () => undefined });
    let resumes = 0;
    jest.spyOn(own, 'resume').mockImplementation(async () => {
      if (++resumes === 1) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' });
    });
    jest.spyOn(own, 'pause').mockImplementation(async () => undefined);
    await own.start().catch(() => undefined); // registers it (this fake Kafka has no consumers: the start fails)
    expect(consumerOfGroup('replayed')).toBe(own);

    const status = await coordinator.request({ topic: 'raw', from: 'earliest', requestedBy: 'test' });
    for (let i = 0; i < 600 && resumes < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect([status.state, status.error, resumes]).toEqual(['failed', 'connect ECONNREFUSED', 2]);
    expect(log.some((m) => m.includes('retrying'))).toBe(true);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
