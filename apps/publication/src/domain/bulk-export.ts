import { strToU8, zipSync } from 'fflate';

export interface BulkFile {
  readonly path: string;
  readonly text: string;
}

/** A fixed time for every entry, so that the same content gives the same bytes (and the same ETag). */
const ENTRY_TIME = new Date(Date.UTC(2000, 0, 1));

/** The bulk download as a ZIP archive (deflate), its bytes a function of the files alone. */
export function zipFiles(files: readonly BulkFile[]): Uint8Array {
  return zipSync(Object.fromEntries(files.map((f) => [f.path, [strToU8(f.text), { level: 6, mtime: ENTRY_TIME }]])));
}
