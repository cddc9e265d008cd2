import type { Provider } from '@nestjs/common';
import { parseKeyRing, RecordSealer } from '@sozialmonitor/privacy';
import { IngestionEnvironment } from '../ingestion.environment';

/** The sealer for raw records from RAW_ENCRYPTION_KEYS; a bad ring stops the service naming the variable. */
export const recordSealerProvider: Provider = {
  provide: RecordSealer,
  inject: [IngestionEnvironment],
  useFactory: (env: IngestionEnvironment) =>
    new RecordSealer(
      parseKeyRing(env.RAW_ENCRYPTION_KEYS, 'RAW_ENCRYPTION_KEYS', { refuseDemoKeys: env.NODE_ENV === 'production' }),
    ),
};
