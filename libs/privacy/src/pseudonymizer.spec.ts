import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { parseKeyRing } from './key-ring';
import { Pseudonymizer } from './pseudonymizer';

const rawKey = Buffer.from('0123456789abcdef0123456789abcdef-pseudonym-test-key', 'utf8');
const pseudonymizer = new Pseudonymizer(parseKeyRing(`p1:${rawKey.toString('base64')}`, 'PSEUDONYM_KEYS'));

describe('Pseudonymizer', () => {
  it('matches base64url(HMAC-SHA256(key, domain + ":" + value)) with the raw key bytes', () => {
    const expected = createHmac('sha256', rawKey).update('person:4711-0815', 'utf8').digest('base64url');
    expect(pseudonymizer.pseudonymize('person', '4711-0815')).toBe(expected);
    // Fixed vectors computed outside node (openssl dgst -sha256 -hmac … | base64 | tr '+/' '-_'),
    // so the formula cannot drift together with the test's own computation.
    expect(expected).toBe('hixiT3uXcctTFKVWBQFoitYjekPyEeOuTRJwxQBzcJY');
    expect(pseudonymizer.pseudonymize('household', '4711-0815')).toBe('hy1aUOCuYJbKdgXqq_kmzsrTRh5s0XHkyXjhSlzdagM');
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('exposes the current key id', () => {
    expect(pseudonymizer.keyId).toBe('p1');
    const rotated = new Pseudonymizer(
      parseKeyRing(`p2:${randomBytes(32).toString('base64')},p1:${rawKey.toString('base64')}`, 'X'),
    );
    expect(rotated.keyId).toBe('p2');
  });

  it('is deterministic and unicode-safe', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const again = new Pseudonymizer(parseKeyRing(`p1:${rawKey.toString('base64')}`, 'X'));
        expect(pseudonymizer.pseudonymize('person', value)).toBe(again.pseudonymize('person', value));
        expect(pseudonymizer.pseudonymize('person', value)).toBe(
          createHmac('sha256', rawKey)
            .update(Buffer.from(`person:${value}`, 'utf8'))
            .digest('base64url'),
        );
      }),
    );
  });

  it('separates domains: the same id as person and as household gives different pseudonyms', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(pseudonymizer.pseudonymize('person', value)).not.toBe(pseudonymizer.pseudonymize('household', value));
      }),
    );
  });

  it('gives different pseudonyms for different values and for different keys', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(pseudonymizer.pseudonymize('person', a)).not.toBe(pseudonymizer.pseudonymize('person', b));
      }),
    );
    const other = new Pseudonymizer(parseKeyRing(`p9:${randomBytes(32).toString('base64')}`, 'X'));
    expect(other.pseudonymize('person', 'x')).not.toBe(pseudonymizer.pseudonymize('person', 'x'));
  });
});
