import type { Snapshot, SnapshotStore } from './ports/snapshot.store';
import { EmptySnapshotError, SnapshotConflictError, SnapshotService } from './snapshot.service';

const snapshot = (accepted: number): Snapshot => ({
  source: 'population',
  snapshotId: 's-1',
  status: 'open',
  startedAt: new Date(0),
  deliveries: 1,
  accepted,
  retracted: 0,
});

function serviceWith(stored: Snapshot | null, holder?: string) {
  const completed: string[] = [];
  const store = {
    find: async () => (completed.length ? { ...stored!, status: 'completed' } : stored),
    openOtherThan: async () => null,
    create: async () => holder,
    markCompleting: async () => true,
    addRetracted: async () => undefined,
    markCompleted: async (_: string, id: string) => void completed.push(id),
  } as unknown as SnapshotStore;
  const versions = { notInSnapshot: async function* () {}, forgetSnapshot: async () => undefined };
  const publisher = { publish: async () => undefined };
  const clock = { now: () => new Date(0) };
  const service = new SnapshotService(
    store,
    versions as never,
    {} as never,
    publisher as never,
    { retracted: { inc: () => undefined } } as never,
    clock as never,
    { CONTROL_TOPIC: 'control' } as never,
  );
  return { service, completed };
}

describe('SnapshotService (issue 11, hole 9)', () => {
  it('refuses to complete a snapshot without an accepted record unless forced', async () => {
    const { service, completed } = serviceWith(snapshot(0));
    await expect(service.complete('population', 's-1')).rejects.toThrow(EmptySnapshotError);
    await expect(service.complete('population', 's-1')).rejects.toThrow(
      'snapshot s-1 of population has no accepted record: completing it would retract every record of the source',
    );
    expect(completed).toEqual([]);
    expect((await service.complete('population', 's-1', { force: true })).status).toBe('completed');
    expect(completed).toEqual(['s-1']);
  });

  it('completes a snapshot with accepted records without force', async () => {
    const { service, completed } = serviceWith(snapshot(3));
    await service.complete('population', 's-1');
    expect(completed).toEqual(['s-1']);
  });

  it('answers a conflict when the store says another snapshot of the source holds it', async () => {
    const { service } = serviceWith(null, 's-0');
    await expect(service.open('population', 's-1')).rejects.toThrow(
      new SnapshotConflictError('snapshot s-0 of population is still open: complete it first'),
    );
  });
});
