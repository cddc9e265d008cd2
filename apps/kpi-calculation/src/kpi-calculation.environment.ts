import { IntersectionType } from '@nestjs/mapped-types';
import {
  ApiTokensEnvironment,
  ClockEnvironment,
  IndicatorEnvironment,
  KafkaEnvironment,
  MongoEnvironment,
  Port,
  TopicName,
} from '@sozialmonitor/config';
import { TOPICS } from '@sozialmonitor/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** The service's name in logs, metrics, CloudEvent sources and dead letters. */
export const SERVICE = 'kpi-calculation';

/** The kpi-calculation service's configuration (operations.md; README.md); validated at start. */
export class KpiCalculationEnvironment extends IntersectionType(
  KafkaEnvironment,
  MongoEnvironment,
  IndicatorEnvironment,
  ApiTokensEnvironment,
  ClockEnvironment,
) {
  @Port()
  KPI_CALCULATION_PORT: number = 3003;

  /** Smallest class of quasi-identifiers (in persons) in the analysts' lake export; `k` may ask for more, never less. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(2, { message: 'must be at least 2' })
  @Max(1000, { message: 'must be at most 1000' })
  EXPORT_K_ANONYMITY: number = 5;

  /** On-demand computations that may wait while one runs; more are answered 503 + Retry-After (api.md limits). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must be at least 0' })
  @Max(1000, { message: 'must be at most 1000' })
  KPI_ON_DEMAND_MAX_WAITING: number = 8;

  /** Consumer group of the lake topic; every instance of the service shares it. */
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'must be 1–100 characters of A-Z a-z 0-9 . _ -' })
  KPI_CALCULATION_GROUP_ID: string = 'kpi-calculation';

  /**
   * A catalogue JSON file to ship instead of the one in the code: what a first start puts on the
   * catalogue topic as version 1 (later changes go through the admin API).
   */
  @IsOptional()
  @IsString({ message: 'must be a file path' })
  CATALOGUE_FILE?: string;

  /**
   * Quiet time after the last change before recomputing, once the lake consumer has caught up with
   * the topic end, so that a burst of batches is computed once.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(0, { message: 'must be at least 0' })
  @Max(60_000, { message: 'must be at most 60000' })
  RECOMPUTE_DELAY_MS: number = 100;

  /**
   * Longest wait for a round since the first change it takes in: while the lake consumer lags behind
   * the topic end (a bulk load) rounds wait for it to catch up, but values of an endless stream
   * still appear this often.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000' })
  @Max(3_600_000, { message: 'must be at most 3600000' })
  RECOMPUTE_MAX_DEFER_MS: number = 60_000;

  /** Lifetime of the publisher lease (renewed every third of it); another instance takes over after it. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(3000, { message: 'must be at least 3000' })
  @Max(300_000, { message: 'must be at most 300000' })
  PUBLISHER_LEASE_MS: number = 15_000;

  /** Topic names: the contract's (events.md). Overridable only to isolate tests and benchmarks. */
  @TopicName()
  LAKE_TOPIC: string = TOPICS.lake;

  @TopicName()
  KPI_VALUES_TOPIC: string = TOPICS.kpiValues;

  @TopicName()
  CONTROL_TOPIC: string = TOPICS.control;

  /** The catalogue versions and their audit trail (compacted; every service follows it). */
  @TopicName()
  CATALOGUE_TOPIC: string = TOPICS.catalogue;
}
