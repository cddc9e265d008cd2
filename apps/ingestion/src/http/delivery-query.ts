import { problem } from '@sozialmonitor/platform';

export const SNAPSHOT_ID_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';
const SNAPSHOT_ID = new RegExp(SNAPSHOT_ID_PATTERN);

/** `?mode=snapshot&snapshotId=<id>` (api.md); anything else is a 400 naming the parameter. */
export function snapshotIdOf(query: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(query).filter((k) => k !== 'mode' && k !== 'snapshotId');
  if (unknown.length > 0)
    throw problem(400, 'Bad Request', `unknown query parameter: ${unknown.map((k) => k.slice(0, 40)).join(', ')}`);
  const { mode, snapshotId } = query;
  if (mode === undefined && snapshotId === undefined) return undefined;
  if (mode !== 'snapshot') throw problem(400, 'Bad Request', 'mode: must be "snapshot" (with snapshotId) or absent');
  if (typeof snapshotId !== 'string' || !SNAPSHOT_ID.test(snapshotId)) {
    throw problem(
      400,
      'Bad Request',
      'snapshotId: required with mode=snapshot, 1–64 characters of A-Z a-z 0-9 . _ : -',
    );
  }
  return snapshotId;
}

export function isSnapshotId(id: string): boolean {
  return SNAPSHOT_ID.test(id);
}
