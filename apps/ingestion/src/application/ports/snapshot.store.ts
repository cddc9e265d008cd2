export type SnapshotStatus = 'open' | 'completing' | 'completed';

/** A snapshot delivery (api.md): several deliveries that together form a complete extract of a source. */
export interface Snapshot {
  source: string;
  snapshotId: string;
  status: SnapshotStatus;
  startedAt: Date;
  deliveries: number;
  /** Records accepted in the snapshot's deliveries. */
  accepted: number;
  retracted: number;
  completedAt?: Date;
}

/** The snapshots of every source (MongoDB in the service). */
export abstract class SnapshotStore {
  abstract find(source: string, snapshotId: string): Promise<Snapshot | null>;
  /** Another snapshot of the source that is not completed yet, if any. */
  abstract openOtherThan(source: string, snapshotId: string): Promise<Snapshot | null>;
  /**
   * Creates the snapshot if it does not exist (a concurrent creation of the same one is fine). The store
   * holds one open snapshot per source, also against concurrent deliveries: when another snapshot of the
   * source holds it, nothing is created and that snapshot's id is returned.
   */
  abstract create(source: string, snapshotId: string, startedAt: Date): Promise<string | undefined>;
  abstract addDelivery(source: string, snapshotId: string, accepted: number): Promise<void>;
  /** Marks an open snapshot as completing; false when it is not open or completing. */
  abstract markCompleting(source: string, snapshotId: string): Promise<boolean>;
  abstract addRetracted(source: string, snapshotId: string, n: number): Promise<void>;
  abstract markCompleted(source: string, snapshotId: string, completedAt: Date): Promise<void>;
}
