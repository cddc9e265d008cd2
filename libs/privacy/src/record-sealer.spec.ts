import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { parseKeyRing } from './key-ring';
import { RecordSealer, sealingAad, TamperedDataError, UnknownKeyIdError } from './record-sealer';

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(64).toString('base64')}`;
const sealerA = new RecordSealer(parseKeyRing(keyA, 'RAW_ENCRYPTION_KEYS'));
const topic = 'sozialmonitor.raw.records.v1';

const arbTopicKey = fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }));

describe('RecordSealer', () => {
  it('round-trips any plaintext under any topic and key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), arbTopicKey, (bytes, [t, k]) => {
        const plain = Buffer.from(bytes);
        const { keyId, sealed } = sealerA.seal(plain, sealingAad(t, k));
        expect(keyId).toBe('a');
        expect(sealerA.open(sealed, keyId, sealingAad(t, k)).equals(plain)).toBe(true);
      }),
    );
  });

  it('uses a fresh nonce: sealing the same plaintext twice gives different bytes', () => {
    const plain = Buffer.from('{"recordId":"r1"}');
    const one = sealerA.seal(plain, sealingAad(topic, 'population:r1')).sealed;
    const two = sealerA.seal(plain, sealingAad(topic, 'population:r1')).sealed;
    expect(one.equals(two)).toBe(false);
    expect(one.subarray(1, 13).equals(two.subarray(1, 13))).toBe(false);
    expect(one.length).toBe(1 + 12 + plain.length + 16);
  });

  it('does not carry the plaintext in the clear', () => {
    const plain = Buffer.from('Mustermann-Canary-1234567');
    const { sealed } = sealerA.seal(plain, sealingAad(topic, 'k'));
    expect(sealed.includes(plain)).toBe(false);
  });

  it('detects any flipped bit', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (bytes, pos, bit) => {
          const aad = sealingAad(topic, 'population:r1');
          const { keyId, sealed } = sealerA.seal(Buffer.from(bytes), aad);
          const tampered = Buffer.from(sealed);
          const at = pos % tampered.length;
          tampered[at] ^= 1 << bit;
          expect(() => sealerA.open(tampered, keyId, aad)).toThrow(TamperedDataError);
        },
      ),
    );
  });

  it('binds the value to topic and message key (AAD)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), arbTopicKey, arbTopicKey, (text, [t1, k1], [t2, k2]) => {
        fc.pre(t1 !== t2 || k1 !== k2);
        fc.pre(`${t1}\n${k1}` !== `${t2}\n${k2}`);
        const { keyId, sealed } = sealerA.seal(Buffer.from(text), sealingAad(t1, k1));
        expect(() => sealerA.open(sealed, keyId, sealingAad(t2, k2))).toThrow(TamperedDataError);
      }),
    );
  });

  it('rejects truncated or foreign-format data as tampered', () => {
    const aad = sealingAad(topic, 'k');
    expect(() => sealerA.open(Buffer.alloc(10), 'a', aad)).toThrow(TamperedDataError);
    const { sealed } = sealerA.seal(Buffer.from('x'), aad);
    const otherVersion = Buffer.from(sealed);
    otherVersion[0] = 0x02;
    expect(() => sealerA.open(otherVersion, 'a', aad)).toThrow(/unknown format version/);
  });

  it('names an unknown key id with a specific error', () => {
    const { sealed } = sealerA.seal(Buffer.from('x'), 'aad');
    expect(() => sealerA.open(sealed, 'zz', 'aad')).toThrow(UnknownKeyIdError);
    expect(() => sealerA.open(sealed, 'zz', 'aad')).toThrow('no key with id zz is configured');
  });

  it('fails authentication when a different key carries the same id', () => {
    const imposter = new RecordSealer(parseKeyRing(`a:${randomBytes(32).toString('base64')}`, 'X'));
    const { sealed } = sealerA.seal(Buffer.from('x'), 'aad');
    expect(() => imposter.open(sealed, 'a', 'aad')).toThrow(TamperedDataError);
  });

  it('rotation: data sealed with the old key opens while the new key is current; new data uses the new key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), arbTopicKey, (bytes, [t, k]) => {
        const aad = sealingAad(t, k);
        const before = sealerA.seal(Buffer.from(bytes), aad);
        const rotated = new RecordSealer(parseKeyRing(`${keyB},${keyA}`, 'RAW_ENCRYPTION_KEYS'));
        expect(rotated.open(before.sealed, before.keyId, aad).equals(Buffer.from(bytes))).toBe(true);
        const after = rotated.seal(Buffer.from(bytes), aad);
        expect(after.keyId).toBe('b');
        expect(rotated.open(after.sealed, 'b', aad).equals(Buffer.from(bytes))).toBe(true);
        // The old ring cannot open what the new key sealed.
        expect(() => sealerA.open(after.sealed, 'b', aad)).toThrow(UnknownKeyIdError);
      }),
      { numRuns: 30 },
    );
  });

  it('contentId: deterministic per plaintext and context, keyed, and different for other content or context', () => {
    const twin = new RecordSealer(parseKeyRing(keyA, 'RAW_ENCRYPTION_KEYS'));
    const other = new RecordSealer(parseKeyRing(keyB, 'RAW_ENCRYPTION_KEYS'));
    fc.assert(
      fc.property(fc.string(), fc.string(), arbTopicKey, (a, b, [t, k]) => {
        const aad = sealingAad(t, k);
        const id = sealerA.contentId(Buffer.from(a), aad);
        expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
        expect(twin.contentId(Buffer.from(a), aad)).toBe(id);
        expect(other.contentId(Buffer.from(a), aad)).not.toBe(id);
        if (a !== b) expect(sealerA.contentId(Buffer.from(b), aad)).not.toBe(id);
        expect(sealerA.contentId(Buffer.from(a), sealingAad(t, k + 'x'))).not.toBe(id);
      }),
    );
  });
});
