import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sourceDeclaration, validateRecord } from '@sozialmonitor/contracts';
import { BodyTooLargeError, UnreadableBodyError, type BodyItem } from './body-item';
import { formatOfContentType, formatOfFileName, isGzipEncoding, openDelivery, type BodyFormat } from './open-delivery';

/** Streams text in small random-sized chunks so that every boundary case is hit. */
function chunked(data: Buffer, sizes: number[] = [7]): Readable {
  const parts: Buffer[] = [];
  for (let i = 0, k = 0; i < data.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]);
    parts.push(data.subarray(i, i + n));
    i += n;
  }
  return Readable.from(parts, { objectMode: false });
}

async function read(
  text: string | Buffer,
  format: BodyFormat,
  opts: { gzip?: boolean; limit?: number; sizes?: number[] } = {},
): Promise<BodyItem[]> {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const body = chunked(opts.gzip ? gzipSync(data) : data, opts.sizes);
  const items: BodyItem[] = [];
  for await (const item of openDelivery(body, { format, gzip: opts.gzip ?? false, limitBytes: opts.limit ?? 1 << 30 })
    .items)
    items.push(item);
  return items;
}

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
};

describe('content negotiation', () => {
  it('maps media types and charsets', () => {
    expect(formatOfContentType('application/json')).toBe('json');
    expect(formatOfContentType('application/x-ndjson; charset=utf-8')).toBe('ndjson');
    expect(formatOfContentType('text/csv;charset="UTF-8"')).toBe('csv');
    expect(() => formatOfContentType('text/plain')).toThrow(UnreadableBodyError);
    expect(() => formatOfContentType(undefined)).toThrow(/unsupported content type/);
    expect(() => formatOfContentType('text/csv; charset=latin1')).toThrow(/unsupported charset/);
    try {
      formatOfContentType('application/xml');
    } catch (e) {
      expect((e as UnreadableBodyError).status).toBe(415);
    }
  });
  it('accepts gzip and identity encodings only', () => {
    expect(isGzipEncoding(undefined)).toBe(false);
    expect(isGzipEncoding('gzip')).toBe(true);
    expect(() => isGzipEncoding('br')).toThrow(/unsupported content encoding/);
  });
  it('reads formats from drop-folder file names', () => {
    expect(formatOfFileName('population__2024.csv')).toEqual({ format: 'csv', gzip: false });
    expect(formatOfFileName('sgb2__x.ndjson.gz')).toEqual({ format: 'ndjson', gzip: true });
    expect(formatOfFileName('sgb2__x.json')).toEqual({ format: 'json', gzip: false });
    expect(formatOfFileName('sgb2__x.xlsx')).toBeUndefined();
  });
});

describe('hostile bodies (issue 11, hole 4)', () => {
  it('looks media types up without a prototype: Content-Type constructor is 415', () => {
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(() => formatOfContentType(type)).toThrow(/unsupported content type/);
  });

  it('rejects a CSV row with invalid UTF-8 on its own (rule encoding), the rows around it are read', async () => {
    const body = Buffer.concat([
      Buffer.from('recordId,sex\r\np-1,f\r\np-2,'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('\r\np-3,m\r\n'),
    ]);
    for (const sizes of [[1], [3], [64]])
      expect(await read(body, 'csv', { sizes })).toEqual([
        { raw: { recordId: 'p-1', sex: 'f' }, line: 2 },
        { line: 3, problem: { field: '(record)', rule: 'encoding', message: 'is not valid UTF-8' } },
        { raw: { recordId: 'p-3', sex: 'm' }, line: 4 },
      ]);
    // a multi-byte character split across chunks is still one valid character
    expect(await read('recordId,sex\np-ü,f\n', 'csv', { sizes: [1] })).toEqual([
      { raw: { recordId: 'p-ü', sex: 'f' }, line: 2 },
    ]);
  });

  it('keeps a CSV column named __proto__ as a field, so that it is rejected as unknown', async () => {
    const [item] = await read('recordId,__proto__,constructor\np-1,x,y\n', 'csv');
    expect(Object.getPrototypeOf(item.raw)).toBe(Object.prototype);
    expect(Object.keys(item.raw!)).toEqual(['recordId', '__proto__', 'constructor']);
    const result = validateRecord(sourceDeclaration('population')!, item.raw!, { index: 0, line: 2 }, 'csv');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.filter((e) => e.rule === 'unknown_field').map((e) => e.field)).toEqual([
        '__proto__',
        'constructor',
      ]);
  });

  it('bounds a gzip body by its decompressed size and by its expansion ratio, separately', async () => {
    const bomb = Buffer.from(`recordId\n${'a'.repeat(8 * 1024 * 1024)}\n`); // ~1000× compressible
    const items = (opts: Parameters<typeof openDelivery>[1]) =>
      (async () => {
        for await (const _ of openDelivery(chunked(gzipSync(bomb), [4096]), opts).items);
      })();
    const ratio = await failure(items({ format: 'csv', gzip: true, limitBytes: 1 << 30, maxExpansionRatio: 100 }));
    expect([ratio.name, ratio.message]).toEqual([
      'ExpansionTooLargeError',
      'the gzip body expands more than 100 times its compressed size',
    ]);
    const size = await failure(
      items({ format: 'csv', gzip: true, limitBytes: 1 << 30, decompressedLimitBytes: 1024 * 1024 }),
    );
    expect(size).toBeInstanceOf(BodyTooLargeError);
    // an ordinary body passes both
    expect(
      (await read(`recordId,sex\n${'p-1,f\n'.repeat(1000)}`, 'csv', { gzip: true })).filter((i) => i.raw).length,
    ).toBe(1000);
  });

  it('stops reading when the client went away, even when the whole body had arrived', async () => {
    const gone = new AbortController();
    const delivery = openDelivery(chunked(Buffer.from(`recordId\n${'p,\n'.repeat(10)}`)), {
      format: 'csv',
      gzip: false,
      limitBytes: 1 << 20,
      signal: gone.signal,
    });
    const first = await delivery.items.next();
    expect(first.done).toBe(false);
    gone.abort();
    const error = await failure((async () => {
      for await (const _ of delivery.items);
    })());
    expect(error.name).toBe('BodyAbortedError');
  });
});

describe('CSV reader', () => {
  it('maps rows to header names, keeps empty cells as empty strings and counts lines from the header', async () => {
    const items = await read('\uFEFFrecordId,sex,validTo\r\np-1,f,\r\n\r\n"p-2","m","2020-01-01"\n', 'csv');
    expect(items).toEqual([
      { raw: { recordId: 'p-1', sex: 'f', validTo: '' }, line: 2 },
      { raw: { recordId: 'p-2', sex: 'm', validTo: '2020-01-01' }, line: 4 },
    ]);
  });

  it('gives the starting line of a row with quoted line breaks and handles RFC 4180 quotes', async () => {
    const items = await read('recordId,street\np-1,"Haupt\nstraße ""3"""\np-2,x\n', 'csv');
    expect(items).toEqual([
      { raw: { recordId: 'p-1', street: 'Haupt\nstraße "3"' }, line: 2 },
      { raw: { recordId: 'p-2', street: 'x' }, line: 4 },
    ]);
  });

  it('rejects a row with the wrong number of cells on its own', async () => {
    const items = await read('recordId,sex\np-1,f,extra\np-2\np-3,m\n', 'csv');
    expect(items.map((i) => i.problem?.rule ?? i.raw?.recordId)).toEqual(['column_count', 'column_count', 'p-3']);
    expect(items[0]).toEqual({
      line: 2,
      problem: { field: '(record)', rule: 'column_count', message: 'must have 2 cells like the header' },
    });
  });

  it('rejects a row with a broken quote on its own without quoting it', async () => {
    const items = await read('recordId,sex\np-1,f"x\np-2,m\n', 'csv');
    expect(items).toEqual([
      {
        line: 2,
        problem: { field: '(record)', rule: 'syntax', message: 'is not a valid CSV row (quotes or record size)' },
      },
      { raw: { recordId: 'p-2', sex: 'm' }, line: 3 },
    ]);
  });

  it('400 for a body without header, an empty body, duplicate header names, an unclosed quote', async () => {
    expect(await failure(read('p-1,f\n', 'csv'))).toEqual(
      new UnreadableBodyError('CSV without header: the first line must name the fields (with recordId)'),
    );
    expect((await failure(read('', 'csv'))).message).toBe('CSV without header: the body is empty');
    expect((await failure(read('recordId,sex,sex\n', 'csv'))).message).toBe('the CSV header names a field twice');
    expect((await failure(read('recordId,sex\np-1,"f\n', 'csv'))).message).toBe('a quoted CSV field is not closed');
    // csv-parse stays inside the quote after a stray character behind a closing quote: the rest is unreadable.
    expect((await failure(read('recordId,sex\np-1,"f"x\np-2,m\n', 'csv'))).message).toBe(
      'a quoted CSV field is not closed',
    );
  });

  it('reads gzip bodies and rejects broken gzip', async () => {
    expect(await read('recordId\np-1\n', 'csv', { gzip: true })).toEqual([{ raw: { recordId: 'p-1' }, line: 2 }]);
    const broken = Readable.from([Buffer.from('not gzip at all')]);
    const e = await failure(
      (async () => {
        for await (const _ of openDelivery(broken, { format: 'csv', gzip: true, limitBytes: 1000 }).items) void _;
      })(),
    );
    expect(e).toEqual(new UnreadableBodyError('the body is not valid gzip'));
  });

  it('stops at the byte limit, also for the decompressed size', async () => {
    expect(await failure(read('recordId\n' + 'p-1\n'.repeat(100), 'csv', { limit: 50 }))).toBeInstanceOf(
      BodyTooLargeError,
    );
    const zeros = 'recordId\n' + 'p\n'.repeat(50_000); // compresses to a few hundred bytes
    expect(await failure(read(zeros, 'csv', { gzip: true, limit: 20_000 }))).toBeInstanceOf(BodyTooLargeError);
  });
});

describe('NDJSON reader', () => {
  it('reads one object a line, skipping empty lines, with CRLF and BOM', async () => {
    expect(await read('\uFEFF{"recordId":"a"}\r\n\r\n{"recordId":"b"}', 'ndjson')).toEqual([
      { raw: { recordId: 'a' }, line: 1 },
      { raw: { recordId: 'b' }, line: 3 },
    ]);
  });
  it('rejects a bad line on its own, but a bad first line makes the body unreadable', async () => {
    expect(await read('{"recordId":"a"}\n{"recordId":\n[1]\n{"recordId":"c"}\n', 'ndjson')).toEqual([
      { raw: { recordId: 'a' }, line: 1 },
      { line: 2, problem: { field: '(record)', rule: 'syntax', message: 'is not valid JSON' } },
      { line: 3, problem: { field: '(record)', rule: 'type', message: 'must be a JSON object' } },
      { raw: { recordId: 'c' }, line: 4 },
    ]);
    expect(await failure(read('recordId,sex\np-1,f\n', 'ndjson'))).toEqual(
      new UnreadableBodyError('the body is not NDJSON: line 1 is not JSON'),
    );
    expect((await failure(read('[{"recordId":"a"}]\n', 'ndjson'))).message).toBe(
      'the body is not NDJSON: line 1 is not a JSON object',
    );
    expect((await failure(read('\n\n', 'ndjson'))).message).toBe(
      'the body is empty: expected NDJSON, one JSON object a line',
    );
  });
  it('rejects invalid UTF-8 on its own', async () => {
    const bad = Buffer.concat([
      Buffer.from('{"recordId":"a"}\n{"recordId":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]);
    expect((await read(bad, 'ndjson'))[1]).toEqual({
      line: 2,
      problem: { field: '(record)', rule: 'encoding', message: 'is not valid UTF-8' },
    });
  });
  it('rejects an oversized line on its own and goes on', async () => {
    const big = `{"recordId":"${'x'.repeat(1024 * 1024)}"}`;
    const items = await read(`{"recordId":"a"}\n${big}\n{"recordId":"c"}\n`, 'ndjson', { sizes: [65536] });
    expect(items.map((i) => i.problem?.rule ?? i.raw?.recordId)).toEqual(['a', 'size', 'c']);
  });
});

describe('JSON array reader', () => {
  it('reads the objects of an array with their starting lines, whatever the chunking', async () => {
    const text = '\uFEFF [\n {"recordId":"a","s":"x]},\\"{"},\n {"recordId":"b","n":{"deep":[1,2,{"x":"]"}]}}\n]\n';
    const expected = [
      { raw: { recordId: 'a', s: 'x]},"{' }, line: 2 },
      { raw: { recordId: 'b', n: { deep: [1, 2, { x: ']' }] } }, line: 3 },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
        expect(await read(text, 'json', { sizes })).toEqual(expected);
      }),
    );
  });
  it('rejects non-objects and broken elements on their own', async () => {
    expect(await read('[{"recordId":"a"}, 17, "x", null, {"recordId": tru}, {"recordId":"c"}]', 'json')).toEqual([
      { raw: { recordId: 'a' }, line: 1 },
      { line: 1, problem: { field: '(record)', rule: 'type', message: 'must be a JSON object' } },
      { line: 1, problem: { field: '(record)', rule: 'type', message: 'must be a JSON object' } },
      { line: 1, problem: { field: '(record)', rule: 'type', message: 'must be a JSON object' } },
      { line: 1, problem: { field: '(record)', rule: 'syntax', message: 'is not valid JSON' } },
      { raw: { recordId: 'c' }, line: 1 },
    ]);
  });
  it('reads an empty array', async () => {
    expect(await read(' [ ] ', 'json')).toEqual([]);
  });
  it.each([
    ['', 'the body is empty: expected a JSON array'],
    ['{"recordId":"a"}', 'the body is not a JSON array'],
    ['recordId,sex\n', 'the body is not a JSON array'],
    ['[{"recordId":"a"}', 'the JSON array is not closed'],
    ['[{"recordId":"a"} {"recordId":"b"}]', 'the JSON array is malformed at line 1: expected , or ]'],
    ['[{"recordId":"a"},]', 'the JSON array is malformed at line 1'],
    ['[{"recordId":"a"}] x', 'unexpected content after the end of the JSON array at line 1'],
  ])('cannot read %j', async (text, message) => {
    const e = await failure(read(text, 'json'));
    expect(e).toBeInstanceOf(UnreadableBodyError);
    expect(e.message).toBe(message);
  });
});
