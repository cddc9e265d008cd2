import type { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import { KpiCalculationMetrics } from './kpi-calculation.metrics';
import type { LeaderLeaseStore } from './ports/leader-lease.store';
import type { Instance } from './instance';
import { Leadership } from './leadership';

/** A lease of one document shared by the Leadership instances of a test, like the MongoDB collection. */
function sharedLease() {
  let holder: string | undefined;
  let expires = 0;
  return {
    get holder() {
      return holder;
    },
    repository: {
      tryAcquire: async (who: string, ttl: number) => {
        if (holder !== undefined && holder !== who && expires > Date.now()) return false;
        holder = who;
        expires = Date.now() + ttl;
        return true;
      },
      release: async (who: string) => {
        if (holder === who) holder = undefined;
      },
    } as unknown as LeaderLeaseStore,
  };
}

const env = { PUBLISHER_LEASE_MS: 30 } as KpiCalculationEnvironment;
const leadershipOf = (lease: ReturnType<typeof sharedLease>, id: string) =>
  new Leadership(lease.repository, new KpiCalculationMetrics(), { id } as Instance, env);
/** Waits for a condition; gives up after 2 s (the lease period is 30 ms) so that a stuck chain fails the test. */
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('Leadership', () => {
  const unhandled = jest.fn();
  beforeAll(() => process.on('unhandledRejection', unhandled));
  afterAll(() => process.off('unhandledRejection', unhandled));
  beforeEach(() => unhandled.mockReset());

  it('an onGain that fails is no unhandled rejection: the instance steps back, frees the lease and tries again', async () => {
    const lease = sharedLease();
    const leadership = leadershipOf(lease, 'a');
    let gains = 0;
    const onLoss = jest.fn(async () => undefined);
    const onGain = jest.fn(async () => {
      gains++;
      if (gains <= 2) throw new Error('MongoServerSelectionError: load of the lake failed');
    });
    await leadership.start({ onGain, onLoss });
    // the first attempt (in start) failed: not leading, lease free, its half-done start undone
    expect(leadership.isLeader).toBe(false);
    expect(onLoss).toHaveBeenCalledTimes(1);
    // the chain of renewals goes on: a later tick takes the lease again and this time succeeds
    await until(() => leadership.isLeader);
    await leadership.stop();
    expect(gains).toBe(3);
    expect(unhandled).not.toHaveBeenCalled();
    expect(lease.holder).toBeUndefined();
  });

  it('an onLoss that fails is tried again before the instance takes any lease again', async () => {
    const lease = sharedLease();
    const leadership = leadershipOf(lease, 'a');
    const calls: string[] = [];
    let losses = 0;
    await leadership.start({
      onGain: async () => {
        calls.push('gain');
        if (calls.filter((c) => c === 'gain').length === 1) throw new Error('Kafka admin failed');
      },
      onLoss: async () => {
        losses++;
        calls.push(losses <= 2 ? 'loss failed' : 'loss');
        if (losses <= 2) throw new Error('consumer did not leave the group');
      },
    });
    await until(() => leadership.isLeader);
    await leadership.stop();
    // never a second gain while the first step back is still undone
    expect(calls).toEqual(['gain', 'loss failed', 'loss failed', 'loss', 'gain']);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('while one instance fails to take up publishing, the other one takes the lease: never both lead', async () => {
    const lease = sharedLease();
    const broken = leadershipOf(lease, 'broken');
    const healthy = leadershipOf(lease, 'healthy');
    let bothLead = false;
    const watch = setInterval(() => (bothLead ||= broken.isLeader && healthy.isLeader), 1);
    await broken.start({ onGain: async () => Promise.reject(new Error('Kafka admin failed')), onLoss: async () => undefined });
    await healthy.start({ onGain: async () => undefined, onLoss: async () => undefined });
    await until(() => healthy.isLeader);
    await new Promise((r) => setTimeout(r, 100)); // several lease periods
    clearInterval(watch);
    expect([healthy.isLeader, broken.isLeader, bothLead]).toEqual([true, false, false]);
    await Promise.all([broken.stop(), healthy.stop()]);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('a lease store that throws something unexpected does not break the chain of renewals', async () => {
    const lease = sharedLease();
    let calls = 0;
    const flaky = {
      tryAcquire: async (who: string, ttl: number) => {
        if (++calls === 2) throw new TypeError('unexpected');
        return lease.repository.tryAcquire(who, ttl);
      },
      release: lease.repository.release,
    } as unknown as LeaderLeaseStore;
    const leadership = new Leadership(flaky, new KpiCalculationMetrics(), { id: 'a' } as Instance, env);
    await leadership.start({ onGain: async () => undefined, onLoss: async () => undefined });
    await until(() => calls >= 5);
    expect(leadership.isLeader).toBe(true);
    await leadership.stop();
    expect(unhandled).not.toHaveBeenCalled();
  });
});
