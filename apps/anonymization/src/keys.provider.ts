import type { Provider } from '@nestjs/common';
import {
  KeyRingError,
  parseKeyRing,
  Pseudonymizer,
  RecordKeyHasher,
  RecordSealer,
  type KeyRing,
} from '@sozialmonitor/privacy';
import { AnonymizationEnvironment } from './anonymization.environment';

export const RECORD_SEALER = Symbol('RECORD_SEALER');
export const PSEUDONYMIZER = Symbol('PSEUDONYMIZER');
export const RECORD_KEY_HASHER = Symbol('RECORD_KEY_HASHER');
const KEY_RINGS = Symbol('KEY_RINGS');

/** privacy.md §2: the pseudonym key is never an encryption key. */
export function assertSeparateKeys(raw: KeyRing, pseudonym: KeyRing): void {
  for (const p of pseudonym.byId.values()) {
    for (const r of raw.byId.values()) {
      if (p.key.equals(r.key))
        throw new KeyRingError(
          `PSEUDONYM_KEYS: key ${p.id} is also in RAW_ENCRYPTION_KEYS (as ${r.id}); they must differ`,
        );
    }
  }
}

export const keyProviders: Provider[] = [
  {
    provide: KEY_RINGS,
    inject: [AnonymizationEnvironment],
    useFactory: (env: AnonymizationEnvironment) => {
      const options = { refuseDemoKeys: env.NODE_ENV === 'production' };
      const raw = parseKeyRing(env.RAW_ENCRYPTION_KEYS, 'RAW_ENCRYPTION_KEYS', options);
      const pseudonym = parseKeyRing(env.PSEUDONYM_KEYS, 'PSEUDONYM_KEYS', options);
      assertSeparateKeys(raw, pseudonym);
      return { raw, pseudonym, recordKeyId: env.RAW_RECORD_KEY_ID };
    },
  },
  { provide: RECORD_SEALER, inject: [KEY_RINGS], useFactory: (rings: { raw: KeyRing }) => new RecordSealer(rings.raw) },
  {
    provide: RECORD_KEY_HASHER,
    inject: [KEY_RINGS],
    useFactory: (rings: { raw: KeyRing; recordKeyId?: string }) => new RecordKeyHasher(rings.raw, rings.recordKeyId),
  },
  {
    provide: PSEUDONYMIZER,
    inject: [KEY_RINGS],
    useFactory: (rings: { pseudonym: KeyRing }) => new Pseudonymizer(rings.pseudonym),
  },
];
