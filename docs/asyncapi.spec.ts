import { Parser } from '@asyncapi/parser';
import { anonymize, SOURCES, TOPICS, EVENT_TYPES, kpiValueKey, type KpiValuePayload } from '@sozialmonitor/contracts';
import { SAMPLE_RECORDS } from '@sozialmonitor/contracts/sources/sample-records';
import { decodeCloudEvent, deadLetterOf, encodeCloudEvent, deterministicId, type ConsumedEvent } from '@sozialmonitor/messaging';
import { Pseudonymizer, parseKeyRing, RecordKeyHasher, RecordSealer, KEY_ID_HEADER, sealingAad } from '@sozialmonitor/privacy';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { asyncApi as doc, asyncApiText as text, messageKeyPattern, validateAgainstAsyncApi as validate } from './asyncapi-schemas';

/** Encodes with the code that production uses, then decodes as a consumer sees it. */
function asConsumed(topic: string, message: ReturnType<typeof encodeCloudEvent>): ConsumedEvent {
  return decodeCloudEvent(topic, 0, {
    key: Buffer.from(String(message.key)),
    value: message.value as Buffer,
    headers: Object.fromEntries(Object.entries(message.headers!).map(([k, v]) => [k, Buffer.from(String(v))])),
    timestamp: '0',
    attributes: 0,
    offset: '42',
  });
}

describe('docs/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0 document for the AsyncAPI parser', async () => {
    const { document, diagnostics } = await new Parser().parse(text);
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document!.version()).toBe('3.0.0');
  });

  it('names every topic of the code with its address', () => {
    const addresses = Object.values(doc.channels).map((c) => (c as { address: string }).address).sort();
    expect(addresses).toEqual(Object.values(TOPICS).sort());
  });

  const pseudonymizer = new Pseudonymizer(parseKeyRing('p1:' + Buffer.alloc(32, 7).toString('base64'), 'PSEUDONYM_KEYS'));

  it.each(SOURCES.map((s) => s.name))('a lake message of %s matches the lake schema and headers', (source) => {
    const declaration = SOURCES.find((s) => s.name === source)!;
    const lake = anonymize(declaration, { ...SAMPLE_RECORDS[source] }, pseudonymizer);
    const consumed = asConsumed(
      TOPICS.lake,
      encodeCloudEvent({ topic: TOPICS.lake, key: `${source}:${lake.recordId}`, id: deterministicId(JSON.stringify(lake)), type: EVENT_TYPES.lakeRecord, source: '/sozialmonitor/anonymization', data: lake }),
    );
    validate('messages/lakeRecord/payload', JSON.parse(consumed.value!.toString()));
    validate('messages/lakeRecord/headers', consumed.headers);
    expect(messageKeyPattern('lakeRecord').test(consumed.key!)).toBe(true);
    expect(messageKeyPattern('rawRecord').test(consumed.key!)).toBe(true);
    expect(messageKeyPattern('lakeRecord').test(`${source}:${SAMPLE_RECORDS[source].recordId}`)).toBe(false);
    validate('messages/lakeRecord/payload', { source, recordId: lake.recordId, deleted: true });
    expect(() => validate('messages/lakeRecord/payload', { source, recordId: 'r-1', deleted: true })).toThrow();
  });

  it('a KPI value message matches its schema, key pattern and headers', () => {
    const value: KpiValuePayload = kpiPayload({ computedAt: '2026-11-25T10:00:00Z' });
    const key = kpiValueKey(value);
    const consumed = asConsumed(TOPICS.kpiValues, encodeCloudEvent({ topic: TOPICS.kpiValues, key, id: 'x', type: EVENT_TYPES.kpiValue, source: '/sozialmonitor/kpi-calculation', data: value }));
    validate('messages/kpiValue/payload', JSON.parse(consumed.value!.toString()));
    validate('messages/kpiValue/headers', consumed.headers);
    expect(messageKeyPattern('kpiValue').test(consumed.key!)).toBe(true);
    // a suppressed value carries nothing it could be recomputed from
    validate('messages/kpiValue/payload', { ...value, value: null, suppressed: true, reason: 'primary' });
    expect(() => validate('messages/kpiValue/payload', { ...value, numerator: 3 })).toThrow(/additional/);
  });

  it('a raw message and its dead letter match their headers', () => {
    const sealerRing = parseKeyRing('k1:' + Buffer.alloc(32, 3).toString('base64'), 'RAW_ENCRYPTION_KEYS');
    const sealer = new RecordSealer(sealerRing);
    const key = new RecordKeyHasher(sealerRing).rawKey('population', 'pop-1');
    const { sealed: data, keyId } = sealer.seal(Buffer.from(JSON.stringify(SAMPLE_RECORDS.population)), sealingAad(TOPICS.raw, key));
    const raw = asConsumed(
      TOPICS.raw,
      encodeCloudEvent({ topic: TOPICS.raw, key, id: 'r', type: EVENT_TYPES.rawRecord, source: '/sozialmonitor/ingestion', data, headers: { [KEY_ID_HEADER]: keyId } }),
    );
    validate('messages/rawRecord/headers', raw.headers);
    expect(messageKeyPattern('rawRecord').test(raw.key!)).toBe(true);
    expect(messageKeyPattern('rawRecord').test('population:pop-1')).toBe(false);
    const letter = asConsumed(TOPICS.deadLetter, encodeCloudEvent(deadLetterOf(raw, 'anonymization', new Error('field x: is not in the allow-list'))));
    validate('messages/deadLetter/headers', letter.headers);
    expect(letter.value).toEqual(raw.value);
  });
});
