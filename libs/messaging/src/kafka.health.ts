import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Admin, Kafka } from 'kafkajs';
import { KAFKA } from './messaging.module';

/** Ready when the cluster answers a metadata request within the timeout. */
@Injectable()
export class KafkaHealthIndicator {
  private admin?: Admin;
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'kafka', timeoutMs = 2000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      this.admin ??= this.kafka.admin();
      await withTimeout(
        (async () => {
          await this.admin!.connect();
          await this.admin!.describeCluster();
        })(),
        timeoutMs,
      );
      return indicator.up();
    } catch (e) {
      this.admin = undefined;
      return indicator.down({ message: (e as Error).message });
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}
