import { type KpiValuePayload, publishedContentHash } from '@sozialmonitor/contracts';
import type { EventPublisher, OutgoingEvent } from '@sozialmonitor/messaging';
import type { ComputedValue } from '../domain/indicator-value-calculator';
import type { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';
import type { PublishedValuesSource } from './ports/published-values.source';
import type { PublishedValueRecord, ValueRoundStore } from './ports/value-round.store';
import { ValuePublisher } from './value-publisher';

/** In-memory rounds with the repository's contract, and a log of what happened in which order. */
class FakeRounds {
  readonly rounds = new Map<string, { pending: boolean; values: PublishedValueRecord[] }>();
  readonly log: string[] = [];
  failClear = false;
  async insertPending(id: string, values: PublishedValueRecord[]) {
    this.rounds.set(id, { pending: true, values });
    this.log.push(`mark ${values.map((v) => v.key).join(',')}`);
  }
  async insertPublished(id: string, values: PublishedValueRecord[]) {
    this.rounds.set(id, { pending: false, values });
  }
  async clearMark(id: string) {
    if (this.failClear) throw Object.assign(new Error('down'), { name: 'MongoNetworkError' });
    this.rounds.get(id)!.pending = false;
    this.log.push('clear');
  }
  async all() {
    return [...this.rounds]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, r]) => ({ id, pending: r.pending, values: r.values }));
  }
  async deleteRounds(ids: string[]) {
    for (const id of ids) this.rounds.delete(id);
  }
}

class FakeKafka {
  readonly sent: OutgoingEvent[] = [];
  constructor(private readonly rounds: FakeRounds) {}
  async publish(events: OutgoingEvent[]) {
    this.sent.push(...events);
    this.rounds.log.push(`publish ${events.map((e) => e.key).join(',')}`);
  }
}

const value = (key: string, v: number): ComputedValue => {
  const payload = { indicatorId: key.split(':')[0], value: v, computedAt: '2025-01-01T00:00:00Z' } as KpiValuePayload;
  return { key, hash: publishedContentHash(payload), payload, exact: { value: v, counts: [v], measures: ['P()'] } };
};

function publisherWith(rounds: FakeRounds, kafka: FakeKafka, topic?: PublishedValuesSource): ValuePublisher {
  const env = { KPI_VALUES_TOPIC: 'kpi' } as KpiCalculationEnvironment;
  return new ValuePublisher(
    rounds as unknown as ValueRoundStore,
    kafka as unknown as EventPublisher,
    env,
    new KpiCalculationMetrics(),
    topic,
  );
}

/** The KPI topic as the publisher's source of what was published before. */
const topicHolding = (values: ComputedValue[]): PublishedValuesSource & { reads: number } => {
  const source = {
    reads: 0,
    async latest() {
      source.reads++;
      return values.map((v) => ({ key: v.key, hash: v.hash, payload: v.payload, exact: { value: null, counts: [] } }));
    },
  };
  return source;
};

describe('ValuePublisher', () => {
  it('marks, publishes, then clears; publishes only changed forms', async () => {
    const rounds = new FakeRounds();
    const kafka = new FakeKafka(rounds);
    const p = publisherWith(rounds, kafka);
    await p.loadState();
    expect(await p.publishChanged([value('a:1:2023', 1), value('b:1:2023', 2)])).toBe(2);
    expect(rounds.log).toEqual(['mark a:1:2023,b:1:2023', 'publish a:1:2023,b:1:2023', 'clear']);
    expect(await p.publishChanged([value('a:1:2023', 1), value('b:1:2023', 3)])).toBe(1);
    expect(kafka.sent.map((e) => e.key)).toEqual(['a:1:2023', 'b:1:2023', 'b:1:2023']);
    expect(kafka.sent[0]).toMatchObject({
      topic: 'kpi',
      type: 'de.sozialmonitor.kpi.value.v1',
      source: '/sozialmonitor/kpi-calculation',
    });
    // the same content gives the same ce_id: a re-send is recognizable
    expect(kafka.sent[0].id).toBe(
      publisherWith(rounds, kafka)['eventOf']({
        key: 'a:1:2023',
        hash: publishedContentHash(kafka.sent[0].data as KpiValuePayload),
        payload: kafka.sent[0].data as KpiValuePayload,
        exact: { value: 1, counts: [1] },
      }).id,
    );
  });

  it('after a crash before the mark was cleared publishes the marked values again on start, but never an older form after a newer', async () => {
    const rounds = new FakeRounds();
    const kafka = new FakeKafka(rounds);
    const first = publisherWith(rounds, kafka);
    await first.loadState();
    rounds.failClear = true;
    await expect(first.publishChanged([value('a:1:2023', 1), value('b:1:2023', 1)])).rejects.toThrow('down');
    rounds.failClear = false;
    await first.publishChanged([value('a:1:2023', 2)]); // a newer form of a, published and cleared

    const restarted = new FakeKafka(rounds);
    const second = publisherWith(rounds, restarted);
    await second.loadState();
    // b is republished from the marked round; a is not (its marked form is older than the latest)
    expect(restarted.sent.map((e) => [e.key, (e.data as KpiValuePayload).value])).toEqual([['b:1:2023', 1]]);
    expect([...rounds.rounds.values()].every((r) => !r.pending)).toBe(true);
    // and it knows what is published: nothing changes, nothing is sent
    expect(await second.publishChanged([value('a:1:2023', 2), value('b:1:2023', 1)])).toBe(0);
  });

  it('after an upgrade does not publish again what rounds with a hash of an older text hold', async () => {
    const rounds = new FakeRounds();
    const old = value('a:1:2023', 1);
    // a round as written before the published-content hash moved to libs/contracts
    await rounds.insertPublished('000000000000001-000000000', [
      { key: old.key, hash: 'hash-of-the-former-text', payload: old.payload, exact: { value: 1, counts: [1] } },
    ]);
    const kafka = new FakeKafka(rounds);
    const p = publisherWith(rounds, kafka);
    await p.loadState();
    expect(await p.publishChanged([value('a:1:2023', 1)])).toBe(0);
    expect(await p.publishChanged([value('a:1:2023', 2)])).toBe(1);
  });

  it('compacts many rounds into the latest form of every key when it starts', async () => {
    const rounds = new FakeRounds();
    // 60 rounds as an instance that never compacted while leading left them
    for (let i = 0; i < 60; i++) {
      const values = [value('a:1:2023', i), value(`k${i}:1:2023`, i)];
      const id = `${String(i).padStart(15, '0')}-000000000`;
      await rounds.insertPublished(id, values.map((v) => ({ key: v.key, hash: v.hash, payload: v.payload, exact: v.exact })));
    }
    const reloaded = publisherWith(rounds, new FakeKafka(rounds));
    await reloaded.loadState();
    expect(rounds.rounds.size).toBe(1);
    expect(reloaded.storedValue('a:1:2023')?.payload.value).toBe(59);
    expect(reloaded.storedValue('k7:1:2023')?.payload.value).toBe(7);
  });

  it('compacts while it leads: the rounds stay few without a restart', async () => {
    const rounds = new FakeRounds();
    const kafka = new FakeKafka(rounds);
    const p = publisherWith(rounds, kafka);
    await p.loadState();
    for (let i = 0; i < 120; i++) await p.publishChanged([value('a:1:2023', i), value(`k${i}:1:2023`, i)]);
    expect(rounds.rounds.size).toBeLessThanOrEqual(51);
    // nothing lost by compacting: a reload knows every key's latest form and publishes nothing again
    const reloaded = publisherWith(rounds, new FakeKafka(rounds));
    await reloaded.loadState();
    expect(reloaded.storedValue('a:1:2023')?.payload.value).toBe(119);
    expect(reloaded.storedValue('k3:1:2023')?.payload.value).toBe(3);
    expect(await reloaded.publishChanged([value('a:1:2023', 119), value('k3:1:2023', 3)])).toBe(0);
  });

  it('with no round stored (its database lost) takes the KPI topic as published: only real changes go out', async () => {
    const rounds = new FakeRounds();
    const kafka = new FakeKafka(rounds);
    const topic = topicHolding([value('a:1:2023', 1), value('b:1:2023', 2)]);
    const p = publisherWith(rounds, kafka, topic);
    await p.loadState();
    expect(topic.reads).toBe(1);
    expect(kafka.sent).toEqual([]);
    expect([...rounds.rounds.values()].flatMap((r) => r.values.map((v) => v.key))).toEqual(['a:1:2023', 'b:1:2023']);
    // the replay computes the same forms: nothing is published; b really changed: only b
    expect(await p.publishChanged([value('a:1:2023', 1), value('b:1:2023', 3)])).toBe(1);
    expect(kafka.sent.map((e) => e.key)).toEqual(['b:1:2023']);
  });

  it('with rounds stored does not read the topic; with an empty topic publishes everything as on a first start', async () => {
    const rounds = new FakeRounds();
    const stored = publisherWith(rounds, new FakeKafka(rounds));
    await stored.loadState();
    await stored.publishChanged([value('a:1:2023', 1)]);
    const topic = topicHolding([value('a:1:2023', 9)]);
    await publisherWith(rounds, new FakeKafka(rounds), topic).loadState();
    expect(topic.reads).toBe(0);

    const fresh = new FakeRounds();
    const kafka = new FakeKafka(fresh);
    const p = publisherWith(fresh, kafka, topicHolding([]));
    await p.loadState();
    expect(await p.publishChanged([value('a:1:2023', 1)])).toBe(1);
  });
});
