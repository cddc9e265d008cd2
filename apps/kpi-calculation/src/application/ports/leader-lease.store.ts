/** The one publisher lease of the service (MongoDB in the service). */
export abstract class LeaderLeaseStore {
  /** Takes or renews the lease for `holder` for `ttlMs`; false when another holder has it. */
  abstract tryAcquire(holder: string, ttlMs: number, now?: Date): Promise<boolean>;
  abstract release(holder: string): Promise<void>;
}
