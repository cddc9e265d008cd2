import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Webhook deliveries (issue 17; README "Subscriptions"): attempts, backoff, timeouts. */
export class WebhookEnvironment {
  /** Attempts of a delivery before it is dead-lettered (the first one included). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(20, { message: 'must be at most 20' })
  WEBHOOK_MAX_ATTEMPTS: number = 6;

  /** Wait after the first failed attempt; doubles with every further one (capped at an hour). */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(10, { message: 'must be at least 10' })
  @Max(3_600_000, { message: 'must be at most 3600000' })
  WEBHOOK_RETRY_BASE_MS: number = 5_000;

  /** How long a receiver may take to answer before the attempt counts as failed. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(100, { message: 'must be at least 100' })
  @Max(60_000, { message: 'must be at most 60000' })
  WEBHOOK_TIMEOUT_MS: number = 5_000;

  /** How often an instance looks for due deliveries. */
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(50, { message: 'must be at least 50' })
  @Max(60_000, { message: 'must be at most 60000' })
  WEBHOOK_POLL_MS: number = 500;
}
