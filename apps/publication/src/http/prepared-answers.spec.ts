import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chooseEncoding, type PreparedAnswer, PreparedAnswers } from './prepared-answers';

const answer = (text: string): PreparedAnswer => ({
  body: Buffer.from(text),
  etag: '"t"',
  contentType: 'application/json; charset=utf-8',
  cacheControl: 'public, no-cache',
  encoded: new Map(),
});

describe('prepared answers', () => {
  it('chooses br before gzip, honours q=0 and *, and identity without a header', () => {
    expect(chooseEncoding(undefined)).toBeNull();
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*, br;q=0, gzip;q=0')).toBeNull();
    expect(chooseEncoding('identity')).toBeNull();
  });

  it('compresses an answer once per encoding and keeps the result', () => {
    const answers = new PreparedAnswers();
    const a = answer(JSON.stringify({ values: Array.from({ length: 200 }, (_, i) => ({ i, region: 'Elmshorn' })) }));
    answers.set('k', a);
    const gz = answers.encodedBody(a, 'gzip');
    expect(gunzipSync(gz).equals(a.body)).toBe(true);
    expect(answers.encodedBody(a, 'gzip')).toBe(gz);
    expect(brotliDecompressSync(answers.encodedBody(a, 'br')).equals(a.body)).toBe(true);
    expect(gz.length).toBeLessThan(a.body.length / 4);
  });

  it('drops the least recently used answers beyond its byte budget', () => {
    const answers = new PreparedAnswers(3 * (1000 + 3 + 64));
    for (const k of ['a', 'b', 'c']) answers.set(k, answer('x'.repeat(1000)));
    expect(answers.get('a')).toBeDefined(); // a is now the most recent
    answers.set('d', answer('x'.repeat(1000)));
    expect(answers.get('b')).toBeUndefined();
    expect(answers.get('a')).toBeDefined();
    expect(answers.get('d')).toBeDefined();
    expect(answers.size).toBe(3);
  });
});
