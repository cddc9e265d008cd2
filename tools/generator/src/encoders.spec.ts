import { parse } from 'csv-parse/sync';
import { csvCell, encoder } from './encoders';

describe('encoders', () => {
  const fields = ['recordId', 'name', 'n', 'flag', 'none'];
  const records = [
    { recordId: 'a-1', name: 'Op\'n Hoff, "Nord"', n: 3, flag: true, none: null },
    { recordId: 'a-2', name: 'Zeile\nzwei', n: 2.5, flag: false, none: null },
  ];
  const encode = (format: 'csv' | 'ndjson' | 'json'): string => {
    const e = encoder(format, fields);
    return e.head + records.map((r, i) => e.record(r, i)).join('') + e.tail(records.length);
  };

  it('quotes CSV cells per RFC 4180 only where needed, empty for null', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
  });

  it('writes CSV that a standard parser reads back to the same values', () => {
    const rows = parse(encode('csv'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(records.map((r) => r.name));
    expect(rows[0]).toMatchObject({ recordId: 'a-1', n: '3', flag: 'true', none: '' });
  });

  it('writes NDJSON lines and a JSON array with the same objects; an empty array is valid JSON', () => {
    expect(
      encode('ndjson')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(records);
    expect(JSON.parse(encode('json'))).toEqual(records);
    const e = encoder('json', fields);
    expect(JSON.parse(e.head + e.tail(0))).toEqual([]);
  });
});
