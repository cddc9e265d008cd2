import type { Provider } from '@nestjs/common';
import { parseKeyRing, RecordKeyHasher, RecordSealer, type KeyRing } from '@sozialmonitor/privacy';
import { IngestionEnvironment } from '../ingestion.environment';

const RAW_KEY_RING = Symbol('RAW_KEY_RING');

/**
 * The sealer for raw records from RAW_ENCRYPTION_KEYS, and the record-id hasher derived from the key
 * RAW_RECORD_KEY_ID names (default the current one); a bad ring stops the service naming the variable.
 */
export const recordSealerProviders: Provider[] = [
  {
    provide: RAW_KEY_RING,
    inject: [IngestionEnvironment],
    useFactory: (env: IngestionEnvironment) => {
      const production = env.NODE_ENV === 'production';
      return parseKeyRing(env.RAW_ENCRYPTION_KEYS, 'RAW_ENCRYPTION_KEYS', { refuseDemoKeys: production, refuseWeakKeys: production });
    },
  },
  { provide: RecordSealer, inject: [RAW_KEY_RING], useFactory: (ring: KeyRing) => new RecordSealer(ring) },
  {
    provide: RecordKeyHasher,
    inject: [RAW_KEY_RING, IngestionEnvironment],
    useFactory: (ring: KeyRing, env: IngestionEnvironment) => new RecordKeyHasher(ring, env.RAW_RECORD_KEY_ID),
  },
];
