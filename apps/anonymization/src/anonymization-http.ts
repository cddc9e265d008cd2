import type { INestApplication } from '@nestjs/common';
import { EventPublisher, KAFKA } from '@sozialmonitor/messaging';
import { httpLimitsOf, type HttpServiceOptions } from '@sozialmonitor/platform';
import type { Kafka } from 'kafkajs';
import type { AnonymizationEnvironment } from './anonymization.environment';
import { SERVICE } from './raw-records.handler';

/** How the anonymization service runs (main.ts and the integration tests): health/metrics HTTP plus the raw consumer. */
export function anonymizationHttpOptions(env: AnonymizationEnvironment): HttpServiceOptions {
  return {
    service: SERVICE,
    port: env.ANONYMIZATION_PORT,
    host: env.HOST,
    limits: httpLimitsOf(env),
    openApi: {
      title: 'Sozialmonitor anonymization',
      description:
        'raw → lake. HTTP serves health, metrics and the admin endpoints (consumer lag, replay of the raw topic, dead letters).',
    },
    consumer: (app: INestApplication) => ({
      kafka: app.get<Kafka>(KAFKA),
      deadLetters: app.get(EventPublisher),
      service: SERVICE,
      groupId: env.ANONYMIZATION_GROUP_ID,
      // A new group reads the raw topic from its beginning (its retention bounds the work).
      fromBeginning: true,
      maxRetries: env.CONSUMER_MAX_RETRIES,
    }),
  };
}
