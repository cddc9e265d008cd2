import { CloudEvent, Kafka as CeKafka } from 'cloudevents';
import type { KafkaMessage } from 'kafkajs';
import { decodeCloudEvent, encodeCloudEvent } from './cloud-event-codec';
import { deterministicId, jsonOf } from './cloud-event';

const asConsumed = (m: ReturnType<typeof encodeCloudEvent>, offset = '7'): KafkaMessage => ({
  key: Buffer.from(String(m.key)),
  value: m.value as Buffer,
  headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
  timestamp: '0',
  attributes: 0,
  offset,
});

describe('CloudEvents Kafka binding, binary mode', () => {
  const event = {
    topic: 'sozialmonitor.kpi.values.v1',
    key: 'births_per_1000:01056015:2023',
    id: 'abc',
    type: 'de.sozialmonitor.kpi.value.v1',
    source: '/sozialmonitor/kpi-calculation',
    subject: 'births_per_1000',
    time: '2026-11-25T10:00:00.000Z',
    data: { value: 8.41 },
  };

  it('is read by the cloudevents SDK with every attribute', () => {
    const m = encodeCloudEvent(event);
    const headers = Object.fromEntries(Object.entries(m.headers!).map(([k, v]) => [k, String(v)]));
    const ce = CeKafka.toEvent({ key: String(m.key), value: m.value, headers, body: m.value } as unknown as Parameters<typeof CeKafka.toEvent>[0]) as CloudEvent<unknown>;
    expect(ce.specversion).toBe('1.0');
    expect(ce.id).toBe('abc');
    expect(ce.type).toBe(event.type);
    expect(ce.source).toBe(event.source);
    expect(ce.subject).toBe('births_per_1000');
    expect(ce.time).toBe(event.time);
    expect(ce.datacontenttype).toBe('application/json');
    expect(ce.data).toEqual({ value: 8.41 });
  });

  it('decodes what the SDK encodes', () => {
    const ce = new CloudEvent({ id: 'x1', type: 't', source: '/s', data: { a: 1 }, datacontenttype: 'application/json', partitionkey: 'k1' });
    const m = CeKafka.binary(ce);
    const consumed = decodeCloudEvent('topic', 2, {
      key: Buffer.from(String(m.key)),
      value: Buffer.from(typeof m.value === 'string' ? m.value : JSON.stringify(m.value)),
      headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(String(v))])),
      timestamp: '0',
      attributes: 0,
      offset: '3',
    });
    expect(consumed).toMatchObject({ id: 'x1', type: 't', source: '/s', key: 'k1', partition: 2, offset: '3', specversion: '1.0' });
    expect(jsonOf(consumed)).toEqual({ a: 1 });
  });

  it('round-trips binary data with octet-stream and extra headers', () => {
    const data = Buffer.from([0, 1, 2, 255]);
    const decoded = decodeCloudEvent('t', 0, asConsumed(encodeCloudEvent({ ...event, data, headers: { sm_key_id: 'k1' } })));
    expect(decoded.value).toEqual(data);
    expect(decoded.contentType).toBe('application/octet-stream');
    expect(decoded.headers.sm_key_id).toBe('k1');
  });

  it('derives the same id from the same parts and a different one otherwise', () => {
    expect(deterministicId('a', 'b')).toBe(deterministicId('a', 'b'));
    expect(deterministicId('a', 'b')).not.toBe(deterministicId('ab', ''));
  });

  it('names the position, not the content, of a message that is not JSON', () => {
    expect(() => jsonOf({ topic: 't', partition: 1, offset: '9', value: Buffer.from('{secret') })).toThrow('message t/1@9 is not valid JSON');
  });
});
