import type { Provider } from '@nestjs/common';
import {
  assertSeparateKeys,
  parseKeyRing,
  Pseudonymizer,
  RecordKeyHasher,
  RecordSealer,
  type KeyRing,
} from '@sozialmonitor/privacy';
import { AnonymizationEnvironment } from '../anonymization.environment';

const KEY_RINGS = Symbol('KEY_RINGS');

export const keyProviders: Provider[] = [
  {
    provide: KEY_RINGS,
    inject: [AnonymizationEnvironment],
    useFactory: (env: AnonymizationEnvironment) => {
      const production = env.NODE_ENV === 'production';
      const options = { refuseDemoKeys: production, refuseWeakKeys: production };
      const raw = parseKeyRing(env.RAW_ENCRYPTION_KEYS, 'RAW_ENCRYPTION_KEYS', options);
      const pseudonym = parseKeyRing(env.PSEUDONYM_KEYS, 'PSEUDONYM_KEYS', options);
      assertSeparateKeys(raw, pseudonym);
      return { raw, pseudonym, recordKeyId: env.RAW_RECORD_KEY_ID };
    },
  },
  { provide: RecordSealer, inject: [KEY_RINGS], useFactory: (rings: { raw: KeyRing }) => new RecordSealer(rings.raw) },
  {
    // raw keys are `<source>:<HMAC of the recordId>` (privacy.md §1), hashed as ingestion hashes them
    provide: RecordKeyHasher,
    inject: [KEY_RINGS],
    useFactory: (rings: { raw: KeyRing; recordKeyId?: string }) => new RecordKeyHasher(rings.raw, rings.recordKeyId),
  },
  {
    provide: Pseudonymizer,
    inject: [KEY_RINGS],
    useFactory: (rings: { pseudonym: KeyRing }) => new Pseudonymizer(rings.pseudonym),
  },
];
