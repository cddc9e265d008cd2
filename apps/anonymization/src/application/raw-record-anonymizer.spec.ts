import { TOPICS, sourceDeclaration, validateRecord, type SourceRecord } from '@sozialmonitor/contracts';
import { SAMPLE_RECORDS } from '@sozialmonitor/contracts/sources/sample-records';
import type { ConsumedEvent } from '@sozialmonitor/messaging';
import {
  assertSeparateKeys,
  KeyRingError,
  parseKeyRing,
  Pseudonymizer,
  RecordKeyHasher,
  RecordSealer,
  sealingAad,
} from '@sozialmonitor/privacy';
import { createHmac, randomBytes } from 'node:crypto';
import { RawRecordAnonymizer } from './raw-record-anonymizer';

const rawKey = `r1:${randomBytes(32).toString('base64')}`;
const pseudoBytes = randomBytes(32);
const sealer = new RecordSealer(parseKeyRing(rawKey, 'RAW_ENCRYPTION_KEYS'));
const recordKeys = new RecordKeyHasher(parseKeyRing(rawKey, 'RAW_ENCRYPTION_KEYS'));
const anonymizer = new RawRecordAnonymizer(
  sealer,
  new Pseudonymizer(parseKeyRing(`p1:${pseudoBytes.toString('base64')}`, 'PSEUDONYM_KEYS')),
  recordKeys,
);
const pseudonym = (domain: string, value: string) =>
  createHmac('sha256', pseudoBytes).update(`${domain}:${value}`).digest('base64url');

function normalized(source: string, raw: Record<string, unknown> = SAMPLE_RECORDS[source]): SourceRecord {
  const r = validateRecord(sourceDeclaration(source)!, raw, { index: 0 });
  if (!r.ok) throw new Error('invalid sample');
  return r.record;
}

/** A raw message as ingestion writes it. */
function rawEvent(
  source: string,
  record: object,
  opts: { key?: string; keyId?: string; sealWith?: RecordSealer; offset?: string } = {},
): ConsumedEvent {
  const key = opts.key ?? recordKeys.rawKey(source, (record as { recordId: string }).recordId);
  const { keyId, sealed } = (opts.sealWith ?? sealer).seal(
    Buffer.from(JSON.stringify(record)),
    sealingAad(TOPICS.raw, key),
  );
  return {
    topic: TOPICS.raw,
    partition: 0,
    offset: opts.offset ?? '7',
    key,
    id: 'raw-id',
    type: 'de.sozialmonitor.raw.record.v1',
    source: '/sozialmonitor/ingestion',
    specversion: '1.0',
    time: '2026-01-01T10:00:00.000Z',
    contentType: 'application/octet-stream',
    headers: { sm_key_id: opts.keyId ?? keyId },
    value: sealed,
  };
}

const reasonOf = (event: ConsumedEvent) => {
  const outcome = anonymizer.anonymize(event);
  if (outcome.kind !== 'dead-letter') throw new Error('expected a dead letter');
  return `${outcome.error.name}: ${outcome.error.message}`;
};

describe('RawRecordAnonymizer', () => {
  it('turns a sealed raw record into the anonymized lake message', () => {
    const outcome = anonymizer.anonymize(rawEvent('population', normalized('population')));
    expect(outcome.kind).toBe('lake');
    if (outcome.kind !== 'lake') return;
    const e = outcome.event;
    expect([e.topic, e.key, e.type, e.source, e.subject, e.time, e.contentType]).toEqual([
      TOPICS.lake,
      `population:${pseudonym('record:population', 'pop-1')}`,
      'de.sozialmonitor.lake.record.v1',
      '/sozialmonitor/anonymization',
      'population',
      '2026-01-01T10:00:00.000Z',
      'application/json',
    ]);
    const lake = JSON.parse((e.data as Buffer).toString('utf8'));
    expect(lake).toEqual({
      source: 'population',
      recordId: pseudonym('record:population', 'pop-1'),
      pseudonymKeyId: 'p1',
      personId: pseudonym('person', 'P-100'),
      birthMonth: '1980-05',
      sex: 'f',
      nationalityGroup: 'german',
      ags: '01056015',
      validFrom: '2010-01-01',
      validTo: '2020-07-01',
      startReason: 'move_in',
      endReason: 'move_out',
    });
  });

  it('is deterministic: the same record sealed twice (different nonces) gives the same message and ce_id', () => {
    const a = anonymizer.anonymize(rawEvent('sgb2', normalized('sgb2')));
    const b = anonymizer.anonymize(rawEvent('sgb2', normalized('sgb2'), { offset: '99' }));
    expect(a).toEqual(b);
    if (a.kind === 'lake' && b.kind === 'lake')
      expect((a.event.data as Buffer).equals(b.event.data as Buffer)).toBe(true);
  });

  it('turns a retraction into a deletion marker', () => {
    const outcome = anonymizer.anonymize(rawEvent('childcare', { recordId: 'c-1', deleted: true }));
    expect(outcome.kind === 'lake' && JSON.parse((outcome.event.data as Buffer).toString())).toEqual({
      source: 'childcare',
      recordId: pseudonym('record:childcare', 'c-1'),
      deleted: true,
    });
    expect(outcome.kind === 'lake' && outcome.deleted).toBe(true);
  });

  it('keys raw and lake messages without the record id in plaintext; a deletion reaches the record\'s lake key', () => {
    const recordId = 'pop-4711-2';
    const record = normalized('population', { ...SAMPLE_RECORDS.population, recordId });
    const raw = rawEvent('population', record);
    expect(raw.key).toMatch(/^population:[A-Za-z0-9_-]{43}$/);
    expect(raw.key).not.toContain('4711');
    const lake = anonymizer.anonymize(raw);
    const deletion = anonymizer.anonymize(rawEvent('population', { recordId, deleted: true }));
    if (lake.kind !== 'lake' || deletion.kind !== 'lake') throw new Error('expected lake messages');
    expect(lake.event.key).toBe(`population:${pseudonym('record:population', recordId)}`);
    expect(deletion.event.key).toBe(lake.event.key);
    expect(`${lake.event.key}${(lake.event.data as Buffer).toString()}`).not.toContain('4711');
    // another source's record with the same id is another lake record
    const other = anonymizer.anonymize(rawEvent('sgb2', normalized('sgb2', { ...SAMPLE_RECORDS.sgb2, recordId })));
    expect(other.kind === 'lake' && other.event.key.split(':')[1]).not.toBe(lake.event.key.split(':')[1]);
  });

  it('dead-letters what cannot be anonymized, with a reason that carries no value', () => {
    const record = normalized('population');
    const tampered = rawEvent('population', record);
    tampered.value![20] ^= 1;
    expect(reasonOf(tampered)).toMatch(/^TamperedDataError: sealed data failed authentication/);
    expect(reasonOf(rawEvent('population', record, { keyId: 'old' }))).toBe(
      'UnknownKeyIdError: no key with id old is configured',
    );
    const moved = rawEvent('population', record);
    moved.key = recordKeys.rawKey('population', 'pop-2');
    expect(reasonOf(moved)).toMatch(/^TamperedDataError/);
    expect(reasonOf(rawEvent('population', record, { key: 'nokey' }))).toBe(
      'RawRecordRejectedError: the message key is not <source>:<record hash>',
    );
    expect(reasonOf(rawEvent('pets', record))).toBe('RawRecordRejectedError: the message key names no known source');
    expect(reasonOf(rawEvent('population', record, { key: `population:${record.recordId}` }))).toBe(
      'RawRecordRejectedError: the message key does not match the recordId',
    );
    expect(reasonOf(rawEvent('population', { ...record, religion: 'Kanarienvogel', sex: 'Kanarienvogel' }))).toBe(
      'RawRecordRejectedError: the record breaks rules of source population: religion (unknown_field), sex (enum)',
    );
    const notJson = rawEvent('population', record);
    const { sealed } = sealer.seal(Buffer.from('Kanarienvogel {'), sealingAad(TOPICS.raw, notJson.key!));
    notJson.value = sealed;
    expect(reasonOf(notJson)).toBe('RawRecordRejectedError: the opened record is not JSON');
    const noHeader = rawEvent('population', record);
    noHeader.headers = {};
    expect(reasonOf(noHeader)).toBe('RawRecordRejectedError: the header sm_key_id is missing');
  });

  it('opens records sealed with an older key of the ring, keyed with the hash of RAW_RECORD_KEY_ID', () => {
    const old = new RecordSealer(parseKeyRing(rawKey, 'X'));
    const ring = parseKeyRing(`r2:${randomBytes(32).toString('base64')},${rawKey}`, 'RAW_ENCRYPTION_KEYS');
    const rotated = new RawRecordAnonymizer(
      new RecordSealer(ring),
      new Pseudonymizer(parseKeyRing(`p1:${pseudoBytes.toString('base64')}`, 'PSEUDONYM_KEYS')),
      new RecordKeyHasher(ring, 'r1'),
    );
    expect(new RecordKeyHasher(ring, 'r1').rawKey('sgb2', 'x')).toBe(recordKeys.rawKey('sgb2', 'x'));
    expect(new RecordKeyHasher(ring).rawKey('sgb2', 'x')).not.toBe(recordKeys.rawKey('sgb2', 'x'));
    expect(() => new RecordKeyHasher(ring, 'r9')).toThrow('RAW_RECORD_KEY_ID: no key with id r9');
    expect(rotated.anonymize(rawEvent('sgb2', normalized('sgb2'), { sealWith: old })).kind).toBe('lake');
  });

  it('refuses a pseudonym key that is also an encryption key', () => {
    const shared = randomBytes(32).toString('base64');
    expect(() => assertSeparateKeys(parseKeyRing(`r:${shared}`, 'A'), parseKeyRing(`p:${shared}`, 'B'))).toThrow(
      KeyRingError,
    );
    expect(() =>
      assertSeparateKeys(
        parseKeyRing(`r:${shared}`, 'A'),
        parseKeyRing(`p:${randomBytes(32).toString('base64')}`, 'B'),
      ),
    ).not.toThrow();
  });
});
