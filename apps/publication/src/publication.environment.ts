import { IntersectionType } from '@nestjs/mapped-types';
import { ApiTokensEnvironment, KafkaEnvironment, MongoEnvironment, Port, RedisEnvironment } from '@sozialmonitor/config';
import { Matches } from 'class-validator';

/** The publication service's configuration (operations.md); validated at start. */
export class PublicationEnvironment extends IntersectionType(KafkaEnvironment, MongoEnvironment, RedisEnvironment, ApiTokensEnvironment) {
  @Port()
  PUBLICATION_PORT: number = 3000;

  /** Where the kpi-calculation service answers on-demand Stichtage. */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  KPI_CALCULATION_URL: string = 'http://127.0.0.1:3003';
}
