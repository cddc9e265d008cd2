import { TOPICS, sourceDeclaration, type SourceRecord } from '@sozialmonitor/contracts';
import { SAMPLE_RECORDS } from '@sozialmonitor/contracts/sources/sample-records';
import type { OutgoingEvent } from '@sozialmonitor/messaging';
import { parseKeyRing, RecordKeyHasher, RecordSealer, sealingAad } from '@sozialmonitor/privacy';
import { randomBytes } from 'node:crypto';
import {
  BodyAbortedError,
  BodyTooLargeError,
  ExpansionTooLargeError,
  UnreadableBodyError,
  type BodyItem,
} from '../domain/body/body-item';
import { DeliveryInterruptedError, processDelivery, PUBLISH_BATCH } from './delivery-processor';
import { MAX_LISTED_ERRORS } from '../domain/delivery-report';
import type { RecordVersion, RecordVersionStore } from './ports/record-version.store';
import { RawRecordWriter } from './raw-record-writer';

const ring = parseKeyRing(`k1:${randomBytes(32).toString('base64')}`, 'RAW_ENCRYPTION_KEYS');
const sealer = new RecordSealer(ring);
const recordKeys = new RecordKeyHasher(ring);
const population = sourceDeclaration('population')!;

class MemoryVersions implements Pick<RecordVersionStore, 'register' | 'markInSnapshot'> {
  readonly byId = new Map<string, RecordVersion & { since: Date }>();
  readonly members = new Set<string>();
  async register(_source: string, versions: RecordVersion[], now: Date) {
    return versions.map((v) => {
      const current = this.byId.get(v.recordId);
      if (current && current.contentId === v.contentId && current.deleted === v.deleted) return current.since;
      this.byId.set(v.recordId, { ...v, since: now });
      return now;
    });
  }
  async markInSnapshot(_source: string, snapshotId: string, ids: string[]) {
    for (const id of ids) this.members.add(`${snapshotId}:${id}`);
  }
}

class MemorySink {
  readonly batches: OutgoingEvent[][] = [];
  failAfter = Infinity;
  async publish(events: OutgoingEvent[]) {
    if (this.batches.length >= this.failAfter)
      throw Object.assign(new Error('broker down'), { name: 'KafkaJSConnectionError' });
    this.batches.push(events);
  }
  get events() {
    return this.batches.flat();
  }
}

async function* itemsOf(records: Record<string, unknown>[], failAt?: number): AsyncGenerator<BodyItem> {
  for (let i = 0; i < records.length; i++) {
    if (i === failAt) throw new UnreadableBodyError('the JSON array is malformed at line 9', 400, 9);
    yield { raw: records[i], line: i + 2 };
  }
}

const pop = (i: number, patch: Record<string, unknown> = {}) => ({
  ...SAMPLE_RECORDS.population,
  recordId: `p-${i}`,
  ...patch,
});

function setup(now = new Date('2026-01-01T10:00:00Z')) {
  const sink = new MemorySink();
  const versions = new MemoryVersions();
  let clock = now;
  const writer = new RawRecordWriter(sealer, sink, versions, recordKeys, { now: () => clock });
  return { sink, versions, writer, setNow: (d: Date) => (clock = d) };
}

const deliver = (
  writer: RawRecordWriter,
  records: Record<string, unknown>[],
  extra: { failAt?: number; snapshotId?: string } = {},
) =>
  processDelivery(
    {
      deliveryId: 'd-1',
      declaration: population,
      items: itemsOf(records, extra.failAt),
      csv: false,
      snapshotId: extra.snapshotId,
    },
    writer,
  );

const opened = (e: OutgoingEvent): SourceRecord =>
  JSON.parse(sealer.open(e.data as Buffer, e.headers!.sm_key_id, sealingAad(e.topic, e.key)).toString('utf8'));

describe('processDelivery', () => {
  it('counts, lists errors with index, line and recordId, and publishes only valid records, sealed', async () => {
    const { sink, writer } = setup();
    const report = await deliver(writer, [pop(0), pop(1, { sex: 'w' }), pop(2, { deleted: true, sex: 'q' })]);
    expect(report).toEqual({
      deliveryId: 'd-1',
      source: 'population',
      received: 3,
      accepted: 2,
      rejected: 1,
      errors: [
        { index: 1, line: 3, recordId: 'p-1', field: 'sex', rule: 'enum', message: 'must be one of m, f, d, x' },
      ],
    });
    expect(sink.events.map((e) => [e.topic, e.key, e.type, e.source, e.subject, e.contentType])).toEqual([
      [
        TOPICS.raw,
        recordKeys.rawKey('population', 'p-0'),
        'de.sozialmonitor.raw.record.v1',
        '/sozialmonitor/ingestion',
        'population',
        'application/octet-stream',
      ],
      [
        TOPICS.raw,
        recordKeys.rawKey('population', 'p-2'),
        'de.sozialmonitor.raw.record.v1',
        '/sozialmonitor/ingestion',
        'population',
        'application/octet-stream',
      ],
    ]);
    expect(opened(sink.events[0])).toEqual({ ...pop(0) });
    expect(opened(sink.events[1])).toEqual({ recordId: 'p-2', deleted: true });
    expect(sink.events[0].headers).toEqual({ sm_key_id: 'k1', sm_delivery_id: 'd-1' });
    expect((sink.events[0].data as Buffer).includes(Buffer.from('Beispiel'))).toBe(false);
  });

  it('reports body-level problems as record errors and keeps counting', async () => {
    const { writer } = setup();
    async function* items(): AsyncGenerator<BodyItem> {
      yield { line: 2, problem: { field: '(record)', rule: 'syntax', message: 'is not valid JSON' } };
      yield { raw: pop(1), line: 3 };
    }
    const report = await processDelivery(
      { deliveryId: 'd', declaration: population, items: items(), csv: false },
      writer,
    );
    expect(report.errors).toEqual([
      { index: 0, line: 2, field: '(record)', rule: 'syntax', message: 'is not valid JSON' },
    ]);
    expect([report.received, report.accepted, report.rejected]).toEqual([2, 1, 1]);
  });

  it('lists at most 1000 errors but counts all', async () => {
    const { writer } = setup();
    const records = Array.from({ length: 1500 }, (_, i) => pop(i, { sex: 'w', ags: 'x' }));
    const report = await deliver(writer, records);
    expect(report.rejected).toBe(1500);
    expect(report.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(report.errorsTruncated).toBe(true);
  });

  it('publishes in batches and answers only after the last one', async () => {
    const { sink, writer } = setup();
    const records = Array.from({ length: PUBLISH_BATCH * 2 + 5 }, (_, i) => pop(i));
    const report = await deliver(writer, records);
    expect(report.accepted).toBe(records.length);
    expect(sink.batches.flat().map((e) => e.key)).toEqual(records.map((r) => recordKeys.rawKey('population', r.recordId)));
    expect(sink.batches.at(-1)).toHaveLength(5); // the last, partial batch
    expect(Math.max(...sink.batches.map((b) => b.length))).toBeLessThanOrEqual(PUBLISH_BATCH);
  });

  it('a re-sent identical record gets the same ce_id and ce_time; a correction a new ce_id and time', async () => {
    const { sink, writer, setNow, versions } = setup(new Date('2026-01-01T10:00:00Z'));
    await deliver(writer, [pop(1)]);
    setNow(new Date('2026-02-01T10:00:00Z'));
    await deliver(writer, [pop(1)]);
    await deliver(writer, [pop(1, { sex: 'm' })]);
    const [first, again, corrected] = sink.events;
    expect(again.id).toBe(first.id);
    expect(again.time).toBe('2026-01-01T10:00:00.000Z');
    expect((again.data as Buffer).equals(first.data as Buffer)).toBe(false); // fresh nonce
    expect(corrected.id).not.toBe(first.id);
    expect(corrected.time).toBe('2026-02-01T10:00:00.000Z');
    expect(versions.byId.get('p-1')).toMatchObject({ contentId: corrected.id, deleted: false });
  });

  it('within one delivery a duplicate recordId compares with the earlier occurrence', async () => {
    const { sink, writer } = setup();
    await deliver(writer, [pop(1), pop(1)]);
    expect(sink.events[0].id).toBe(sink.events[1].id);
    expect(sink.events[0].time).toBe(sink.events[1].time);
  });

  it('marks snapshot deliveries in the version store', async () => {
    const { writer, versions } = setup();
    await deliver(writer, [pop(1)], { snapshotId: 's-1' });
    expect([...versions.members]).toEqual(['s-1:p-1']);
  });

  it('an unreadable body mid-way: nothing of the unflushed batch is published, the counts say what was', async () => {
    const { sink, writer } = setup();
    const records = Array.from({ length: PUBLISH_BATCH + 10 }, (_, i) => pop(i));
    const error = await deliver(writer, records, { failAt: PUBLISH_BATCH + 5 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryInterruptedError);
    expect(error.cause).toBeInstanceOf(UnreadableBodyError);
    expect(error.published).toBe(PUBLISH_BATCH);
    expect(error.report.received).toBe(PUBLISH_BATCH + 5);
    expect(sink.events).toHaveLength(PUBLISH_BATCH);
  });

  it('an unreadable body in the first batch publishes nothing', async () => {
    const { sink, writer } = setup();
    const error = await deliver(writer, [pop(0), pop(1)], { failAt: 1 }).catch((e) => e);
    expect(error.published).toBe(0);
    expect(sink.events).toHaveLength(0);
  });

  it('a Kafka failure interrupts the delivery; the re-sent delivery publishes the same events', async () => {
    const { sink, writer, setNow } = setup(new Date('2026-01-01T10:00:00Z'));
    sink.failAfter = 0;
    const error = await deliver(writer, [pop(0)]).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryInterruptedError);
    expect(error.cause.name).toBe('KafkaJSConnectionError');
    expect(error.published).toBe(0);
    sink.failAfter = Infinity;
    setNow(new Date('2026-01-02T10:00:00Z'));
    await deliver(writer, [pop(0)]);
    expect(sink.events.map((e) => e.time)).toEqual(['2026-01-01T10:00:00.000Z']);
  });
});

describe('why a delivery stopped (one classification for HTTP, drop folder and metrics)', () => {
  const report = { received: 3, accepted: 2, rejected: 1, errors: [] } as unknown as ConstructorParameters<typeof DeliveryInterruptedError>[1];
  it("tells the sender's faults from ours", () => {
    const why = (cause: unknown) => new DeliveryInterruptedError(cause, report, 2).why;
    expect(why(new UnreadableBodyError('invalid UTF-8', 400, 7))).toBe('unreadable');
    expect(why(new BodyTooLargeError(1024))).toBe('too_large');
    expect(why(new ExpansionTooLargeError(100))).toBe('too_large');
    expect(why(new BodyAbortedError())).toBe('aborted');
    expect(why(Object.assign(new Error('down'), { name: 'MongoNetworkError' }))).toBe('unavailable');
    expect(why(undefined)).toBe('unavailable');
  });
});
