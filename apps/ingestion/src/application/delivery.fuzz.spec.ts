import { SOURCES, sourceDeclaration, type SourceRecord } from '@sozialmonitor/contracts';
import { csvCell, SAMPLE_RECORDS } from '@sozialmonitor/contracts/sources/sample-records';
import type { OutgoingEvent } from '@sozialmonitor/messaging';
import { parseKeyRing, RecordKeyHasher, RecordSealer, sealingAad } from '@sozialmonitor/privacy';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { BodyTooLargeError, UnreadableBodyError } from '../domain/body/body-item';
import { openDelivery, type BodyFormat } from '../domain/body/open-delivery';
import { DeliveryInterruptedError, processDelivery } from './delivery-processor';
import type { DeliveryReport } from '../domain/delivery-report';
import type { RecordVersion, RecordVersionStore } from './ports/record-version.store';
import { RawRecordWriter } from './raw-record-writer';

/**
 * Fuzzing of whole deliveries (issue 11, acceptance): valid records mixed with near-valid ones, random
 * bytes, wrong encodings, huge fields, deep JSON, CSV quoting tricks and `__proto__`/`constructor`
 * keys and columns, through the same reader, validation and writer as the service. Properties: the
 * delivery ends with a report or with an error the controller answers 4xx (never anything that would
 * be a 5xx), every listed rejection names its record (index) and a field, and every valid record of a
 * readable delivery is accepted and published.
 *
 * `npm test` runs FUZZ_RUNS (default 200) deliveries per format; the acceptance run is
 * `FUZZ_RUNS=10000 npx jest --selectProjects unit --testPathPattern delivery.fuzz`.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const ring = parseKeyRing(`k1:${randomBytes(32).toString('base64')}`, 'RAW_ENCRYPTION_KEYS');
const sealer = new RecordSealer(ring);
const recordKeys = new RecordKeyHasher(ring);

class MemoryVersions implements Pick<RecordVersionStore, 'register' | 'markInSnapshot'> {
  async register(_source: string, versions: RecordVersion[], now: Date) {
    return versions.map(() => now);
  }
  async markInSnapshot() {}
}
class MemorySink {
  readonly events: OutgoingEvent[] = [];
  async publish(events: OutgoingEvent[]) {
    this.events.push(...events);
  }
}

const source = fc.constantFrom(...SOURCES.map((s) => s.name));
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x y', '');
const weirdText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('"', '""', '","', '\n', '\r\n', '\r', ',', '"a"b', 'a"b', '\uFEFF', '\u0000', '=cmd()', '\uD800'),
  fc.constant('x'.repeat(70_000)), // a huge field
);
/** A field value that is wrong for most fields (near-valid records). */
const wrongValue = fc.oneof(
  weirdText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({ nested: { deep: true } }),
);
/** Near-valid: a valid sample with one field broken, one unknown or hostile key added, or its recordId broken. */
const nearValid = (src: string) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...sourceDeclaration(src)!.fields.map((f) => f.name)), wrongValue)
      .map(([field, value]) => ({ ...SAMPLE_RECORDS[src], [field]: value })),
    fc.tuple(hostileKey, weirdText).map(([key, value]) => {
      const r: Record<string, unknown> = { ...SAMPLE_RECORDS[src] };
      Object.defineProperty(r, key, { value, enumerable: true, writable: true, configurable: true });
      return r;
    }),
    fc.constantFrom<Record<string, unknown>>(
      { ...SAMPLE_RECORDS[src], recordId: '' },
      { ...SAMPLE_RECORDS[src], recordId: 'x'.repeat(65) },
      { recordId: 'only-id' },
      {},
    ),
  );
/** Not even a record: other JSON values, deep nesting. */
const notARecord = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

interface Case {
  source: string;
  format: BodyFormat;
  /** Records that must be accepted if the body is readable (by recordId). */
  valid: string[];
  body: Buffer;
  gzip: boolean;
}

/** JSON of a value; own keys named `__proto__` (defined, not assigned) are written like any other. */
function jsonText(value: unknown): string {
  return JSON.stringify(value);
}

/** A delivery in `format`: valid records (recordIds v-<i>) in random places among junk. */
const deliveryOf = (format: BodyFormat): fc.Arbitrary<Case> =>
  source.chain((src) => {
    const junkRecord = fc.oneof(nearValid(src), ...(format === 'csv' ? [] : [notARecord]));
    const slot = fc.oneof(
      { weight: 2, arbitrary: fc.constant<'valid'>('valid') },
      { weight: 3, arbitrary: junkRecord.map((r) => ({ junk: r })) },
      ...(format === 'csv'
        ? [
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => ({ rawLine: Buffer.from(b) })) },
            {
              weight: 1,
              arbitrary: fc.array(weirdText, { maxLength: 6 }).map((cells) => ({
                rawLine: Buffer.from(cells.map((c) => csvCell(c)).join(',')),
              })),
            },
          ]
        : [
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => ({ rawLine: Buffer.from(b) })) },
            {
              weight: 1,
              arbitrary: fc
                .string({ maxLength: 20 })
                .map((t) => ({ rawLine: Buffer.from(`{"recordId":"l1-${t.length}","x":"${t}"}`, 'latin1') })),
            },
          ]),
    );
    return fc
      .record({
        slots: fc.array(slot, { maxLength: 12 }),
        gzip: fc.boolean(),
        randomBody: fc.option(fc.uint8Array({ maxLength: 200 }), { freq: 8 }),
        hostileHeader: fc.option(hostileKey, { freq: 5 }),
      })
      .map(({ slots, gzip, randomBody, hostileHeader }): Case => {
        const valid: string[] = [];
        const records: { record?: Record<string, unknown>; rawLine?: Buffer }[] = slots.map((s, i) => {
          if (s === 'valid') {
            const id = `v-${i}`;
            valid.push(id);
            return { record: { ...SAMPLE_RECORDS[src], recordId: id } };
          }
          return 'junk' in s ? { record: s.junk as Record<string, unknown> } : { rawLine: s.rawLine };
        });
        if (randomBody) return { source: src, format, valid: [], body: Buffer.from(randomBody), gzip };
        let body: Buffer;
        if (format === 'csv') {
          const names = sourceDeclaration(src)!.fields.map((f) => f.name);
          const header = hostileHeader ? [...names, hostileHeader] : names;
          const rows = records.map(
            (r) =>
              r.rawLine ?? Buffer.from(header.map((h) => csvCell((r.record as Record<string, unknown>)[h])).join(',')),
          );
          body = Buffer.concat([
            Buffer.from(header.join(',')),
            ...rows.flatMap((row) => [Buffer.from('\r\n'), row]),
            Buffer.from('\r\n'),
          ]);
          if (hostileHeader !== null) valid.length = 0; // every row then carries an unknown field
        } else if (format === 'ndjson') {
          body = Buffer.concat(
            records.flatMap((r) => [r.rawLine ?? Buffer.from(jsonText(r.record)), Buffer.from('\n')]),
          );
        } else {
          const elements = records.map((r) =>
            r.rawLine ? Buffer.from(jsonText(r.rawLine.toString('latin1'))) : Buffer.from(jsonText(r.record)),
          );
          body = Buffer.concat([
            Buffer.from('['),
            ...elements.flatMap((e, i) => (i ? [Buffer.from(','), e] : [e])),
            Buffer.from(']'),
          ]);
        }
        return { source: src, format, valid, body, gzip };
      });
  });

async function deliver(c: Case): Promise<{ report?: DeliveryReport; error?: unknown; published: SourceRecord[] }> {
  const sink = new MemorySink();
  const writer = new RawRecordWriter(sealer, sink, new MemoryVersions(), recordKeys);
  const declaration = sourceDeclaration(c.source)!;
  const body = openDelivery(Readable.from([c.gzip ? gzipSync(c.body) : c.body]), {
    format: c.format,
    gzip: c.gzip,
    limitBytes: 1 << 24,
    maxExpansionRatio: 100,
  });
  const published = () =>
    sink.events.map(
      (e) =>
        JSON.parse(
          sealer.open(e.data as Buffer, e.headers!.sm_key_id, sealingAad(e.topic, e.key)).toString(),
        ) as SourceRecord,
    );
  try {
    const report = await processDelivery(
      { deliveryId: 'fuzz', declaration, items: body.items, csv: c.format === 'csv' },
      writer,
    );
    return { report, published: published() };
  } catch (error) {
    return { error, published: published() };
  }
}

describe.each(['json', 'ndjson', 'csv'] as const)('fuzzed %s deliveries', (format) => {
  it(
    `${RUNS} generated deliveries: no 5xx, every rejection names record and field, valid records accepted`,
    async () => {
      await fc.assert(
        fc.asyncProperty(deliveryOf(format), async (c) => {
          const { report, error, published } = await deliver(c);
          if (error !== undefined) {
            // what the controller answers 400/413/415: anything else would be a 5xx
            expect(error).toBeInstanceOf(DeliveryInterruptedError);
            const cause = (error as DeliveryInterruptedError).cause;
            expect(cause instanceof UnreadableBodyError || cause instanceof BodyTooLargeError).toBe(true);
            return;
          }
          expect(report!.received).toBe(report!.accepted + report!.rejected);
          for (const e of report!.errors) {
            expect(typeof e.index).toBe('number');
            expect(typeof e.field).toBe('string');
            expect(e.field.length).toBeGreaterThan(0);
            expect(typeof e.rule).toBe('string');
          }
          expect(published.length).toBe(report!.accepted);
          const ids = new Set(published.map((r) => r.recordId));
          for (const id of c.valid) expect(ids.has(id)).toBe(true);
          // nothing published carries a prototype trick
          for (const r of published) expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
        }),
        { numRuns: RUNS },
      );
    },
    30 * 60_000,
  );
});
