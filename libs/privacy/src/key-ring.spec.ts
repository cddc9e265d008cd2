import { randomBytes } from 'node:crypto';
import { formatKeyRing, KeyRingError, parseKeyRing } from './key-ring';

const key32 = randomBytes(32);
const key48 = randomBytes(48);

describe('parseKeyRing', () => {
  it('takes the first entry as the current key and keeps the others for opening', () => {
    const ring = parseKeyRing(
      `new:${key48.toString('base64')}, old:${key32.toString('base64')}`,
      'RAW_ENCRYPTION_KEYS',
    );
    expect(ring.current.id).toBe('new');
    expect(ring.current.key.equals(key48)).toBe(true);
    expect([...ring.byId.keys()]).toEqual(['new', 'old']);
    expect(ring.byId.get('old')!.key.equals(key32)).toBe(true);
  });

  it('accepts URL-safe base64 and round-trips through formatKeyRing', () => {
    const k = Buffer.from(Array.from({ length: 33 }, (_, i) => 250 - i)); // produces - and _ in base64url
    const ring = parseKeyRing(`k_1:${k.toString('base64url')}`, 'PSEUDONYM_KEYS');
    expect(ring.current.key.equals(k)).toBe(true);
    expect(parseKeyRing(formatKeyRing([...ring.byId.values()]), 'X').current.key.equals(k)).toBe(true);
  });

  const secret = randomBytes(16).toString('base64'); // too short: 16 bytes
  it.each([
    ['', /PSEUDONYM_KEYS is empty/],
    ['   ', /PSEUDONYM_KEYS is empty/],
    [key32.toString('base64'), /PSEUDONYM_KEYS: entry 1 is not of the form keyId:base64key/],
    [
      `k1:${key32.toString('base64')},bad id:${key32.toString('base64')}`,
      /PSEUDONYM_KEYS: entry 2 has an invalid keyId/,
    ],
    [`${'a'.repeat(33)}:${key32.toString('base64')}`, /entry 1 has an invalid keyId/],
    [`k1:${secret}`, /PSEUDONYM_KEYS: key k1 has 16 bytes, at least 32 are required/],
    [`k1:not*base64!`, /PSEUDONYM_KEYS: key k1 is not base64/],
    [`k1:${key32.toString('base64')},k1:${key48.toString('base64')}`, /keyId k1 appears twice/],
  ])('rejects %j naming the variable and key id', (text, message) => {
    expect(() => parseKeyRing(text, 'PSEUDONYM_KEYS')).toThrow(KeyRingError);
    expect(() => parseKeyRing(text, 'PSEUDONYM_KEYS')).toThrow(message);
  });

  it('never puts key material into an error message', () => {
    const short = randomBytes(31).toString('base64');
    for (const text of [`k1:${short}`, `${short}`, `${short}:${short}`, `k1:${short}!`]) {
      try {
        parseKeyRing(text, 'RAW_ENCRYPTION_KEYS');
        throw new Error('expected a KeyRingError');
      } catch (e) {
        expect(e).toBeInstanceOf(KeyRingError);
        expect((e as Error).message).not.toContain(short);
        expect((e as Error).message).not.toContain(short.slice(0, 12));
      }
    }
  });

  it('refuses generated demo keys where asked to (production)', () => {
    const text = `demo-raw-1:${key32.toString('base64')}`;
    expect(parseKeyRing(text, 'RAW_ENCRYPTION_KEYS').current.id).toBe('demo-raw-1');
    expect(() => parseKeyRing(text, 'RAW_ENCRYPTION_KEYS', { refuseDemoKeys: true })).toThrow(
      'RAW_ENCRYPTION_KEYS: key demo-raw-1 is a generated demo key; production needs real keys',
    );
  });

  it('refuses keys that do not look random where asked to (production), naming the key, never its bytes', () => {
    const zeros = `k1:${Buffer.alloc(32).toString('base64')}`;
    const counting = `k1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64')}`;
    const pattern = `k1:${Buffer.from('abcd'.repeat(8)).toString('base64')}`;
    for (const text of [zeros, counting, pattern]) {
      expect(parseKeyRing(text, 'PSEUDONYM_KEYS').current.id).toBe('k1');
      expect(() => parseKeyRing(text, 'PSEUDONYM_KEYS', { refuseWeakKeys: true })).toThrow(
        /^PSEUDONYM_KEYS: key k1 (has only \d+ distinct values|is a regular sequence).*production needs random keys$/,
      );
    }
    const random = `k1:${randomBytes(32).toString('base64')}`;
    expect(parseKeyRing(random, 'PSEUDONYM_KEYS', { refuseWeakKeys: true }).current.id).toBe('k1');
  });
});
