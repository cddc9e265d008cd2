import { Injectable, Logger } from '@nestjs/common';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';
import { LeaderLeaseStore } from './ports/leader-lease.store';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import { Instance } from './instance';

export interface LeadershipHandlers {
  onGain(): Promise<void>;
  onLoss(): Promise<void>;
}

/**
 * Holds or waits for the publisher lease, renewing it every third of its lifetime. The lease is
 * considered lost when it could not be renewed for most of its lifetime (MongoDB unreachable), so
 * that two instances never publish at the same time for longer than the clock difference.
 */
@Injectable()
export class Leadership {
  private readonly log = new Logger('Leadership');
  private leading = false;
  private lastRenewal = 0;
  private timer?: NodeJS.Timeout;
  private handlers?: LeadershipHandlers;
  private busy: Promise<void> = Promise.resolve();
  /**
   * onLoss() failed: this instance may still consume in the service's group (its main consumer not
   * stopped) and would take partitions from the real publisher. It steps back again on every tick and
   * takes no lease before that succeeded.
   */
  private stepBackPending = false;

  constructor(
    private readonly leases: LeaderLeaseStore,
    private readonly metrics: KpiCalculationMetrics,
    private readonly instance: Instance,
    private readonly env: KpiCalculationEnvironment,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  async start(handlers: LeadershipHandlers): Promise<void> {
    this.handlers = handlers;
    await this.tick();
    // The chain never rejects (tick() handles its errors): a rejected link would end the process
    // (unhandled rejection) and stop every later renewal while `leading` stayed true.
    this.timer = setInterval(() => void (this.busy = this.busy.then(() => this.tick())), this.env.PUBLISHER_LEASE_MS / 3);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.busy;
    if (this.leading) await this.leases.release(this.instance.id).catch((e) => this.releaseFailed(e));
    this.leading = false;
  }

  private async tick(): Promise<void> {
    try {
      await this.renew();
    } catch (e) {
      this.log.error(`lease check failed (${describe(e)})`);
    }
  }

  private async renew(): Promise<void> {
    if (this.stepBackPending && !(await this.stepBack())) return;
    let held = false;
    try {
      held = await this.leases.tryAcquire(this.instance.id, this.env.PUBLISHER_LEASE_MS);
      if (held) this.lastRenewal = Date.now();
    } catch (e) {
      // MongoDB unreachable: keep leading until the lease would have expired.
      held = this.leading && Date.now() - this.lastRenewal < (this.env.PUBLISHER_LEASE_MS * 2) / 3;
      this.log.warn(`lease not renewed: ${(e as Error).name}`);
    }
    if (held && !this.leading) {
      this.leading = true;
      this.metrics.leader.set(1);
      this.log.log('this instance publishes values now');
      try {
        await this.handlers!.onGain();
      } catch (e) {
        // Could not take up publishing (MongoDB or Kafka unavailable): step back and free the lease for
        // another instance; the next tick tries again.
        this.log.error(`taking up publishing failed (${describe(e)}); releasing the lease`);
        await this.resign();
      }
    } else if (!held && this.leading) {
      await this.resign();
    }
  }

  /** The lease ends by itself at its expiry; until then no other instance publishes (logged, so a gap is explained). */
  private releaseFailed(e: unknown): void {
    this.log.warn(`lease not released (${describe(e)}); another instance may publish once it expires`);
  }

  private async resign(): Promise<void> {
    this.leading = false;
    this.metrics.leader.set(0);
    this.log.warn('this instance no longer publishes values');
    await this.stepBack();
    await this.leases.release(this.instance.id).catch((e) => this.releaseFailed(e));
  }

  /** Undoes what onGain() started; true when that worked, else it is tried again on the next tick. */
  private async stepBack(): Promise<boolean> {
    try {
      await this.handlers!.onLoss();
      this.stepBackPending = false;
      return true;
    } catch (e) {
      this.stepBackPending = true;
      this.log.error(`stepping back from publishing failed (${describe(e)}); trying again`);
      return false;
    }
  }
}

const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
