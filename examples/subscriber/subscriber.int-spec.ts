import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, kpiValueKey, type KpiValuePayload } from '@sozialmonitor/contracts';
import { createKafka, ensureTopics, EventPublisher } from '@sozialmonitor/messaging';
import { subscribe } from './subscriber';

describe('example subscriber', () => {
  it('reads the compacted KPI topic from the beginning and keeps the latest value per key', async () => {
    const topic = `test.kpi.values.${randomUUID().slice(0, 8)}`;
    const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'subscriber-test', log: () => undefined });
    await ensureTopics(kafka, [{ name: topic, config: { 'cleanup.policy': 'compact' } }], { partitions: 2, replicationFactor: 1 });
    const publisher = new EventPublisher(kafka);
    const value = (region: string, v: number | null, suppressed = false): KpiValuePayload => ({
      indicatorId: 'births_per_1000',
      indicatorVersion: 1,
      region: { code: region, level: region.length === 8 ? 'municipality' : 'county', name: region },
      period: '2023',
      unit: '‰',
      value: v,
      suppressed,
      comparison: { county: 8.12, state: 7.9, germany: 8.2 },
      computedAt: '2026-11-25T10:00:00Z',
    });
    const events = [value('01056015', 8.0), value('01056', 8.12), value('01056015', 8.41), value('01056001', null, true)].map((data, i) => ({
      topic,
      key: kpiValueKey(data),
      id: `id-${i}`,
      type: EVENT_TYPES.kpiValue,
      source: '/sozialmonitor/kpi-calculation',
      data,
    }));
    await publisher.publish(events);
    await publisher.disconnect();

    let seen = 0;
    const { table, stop } = await subscribe({ brokers: process.env.KAFKA_BROKERS!.split(','), topic, groupId: `g-${randomUUID()}`, onChange: () => seen++ });
    const end = Date.now() + 30_000;
    while (seen < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await stop();
    expect(table.size).toBe(3);
    expect(table.get('births_per_1000:01056015:2023')?.value).toBe(8.41);
    expect(table.get('births_per_1000:01056001:2023')).toMatchObject({ value: null, suppressed: true });
    expect(table.get('births_per_1000:01056:2023')?.comparison.state).toBe(7.9);
  });
});
