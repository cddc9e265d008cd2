import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The final state of a source after delivery 1 and delivery 2, read from the NDJSON files the way a
 * consumer applies them: a re-sent recordId replaces, `deleted: true` retracts. Delivery 1 is
 * streamed; only delivery 2 (small) is held.
 */
export type Row = Record<string, unknown>;

export async function* ndjsonRows(path: string): AsyncGenerator<Row> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield JSON.parse(line) as Row;
}

export async function* finalRecords(dir: string, source: string): AsyncGenerator<Row> {
  const second = new Map<string, Row>();
  const text = await readFile(join(dir, `${source}__2.ndjson`), 'utf8');
  for (const line of text.split('\n'))
    if (line) second.set((JSON.parse(line) as Row).recordId as string, JSON.parse(line) as Row);
  const seen = new Set<string>();
  for await (const row of ndjsonRows(join(dir, `${source}__1.ndjson`))) {
    const id = row.recordId as string;
    const replacement = second.get(id);
    if (!replacement) yield row;
    else {
      seen.add(id);
      if (replacement.deleted !== true) yield replacement;
    }
  }
  for (const [id, row] of second) if (!seen.has(id) && row.deleted !== true) yield row;
}
