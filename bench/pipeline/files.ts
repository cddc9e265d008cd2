/**
 * Delivery files the benchmark makes from a generated county: a correction delivery of a share of the
 * records, one corrected record, and a big population CSV (the county's rows repeated under new record
 * ids) for the ingestion scenario. Synthetic data only (tools/generator).
 */
import { createReadStream, createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface PopulationRecord {
  recordId: string;
  validTo: string | null;
  endReason?: string | null;
  [field: string]: unknown;
}

/** Population records of delivery 1 that are still open (validTo null) and began by 2016: ones a correction can end. */
export function openPopulationRecords(ndjsonFile: string): PopulationRecord[] {
  const out: PopulationRecord[] = [];
  for (const line of readFileSync(ndjsonFile, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as PopulationRecord;
    if (r.validTo === null && typeof r.validFrom === 'string' && r.validFrom <= '2016-01-01') out.push(r);
  }
  return out;
}

/** `wanted` items spread evenly over the list (the file is ordered by municipality). */
export function spread<T>(items: readonly T[], wanted: number): T[] {
  const step = Math.max(1, Math.floor(items.length / wanted));
  return items.filter((_, i) => i % step === 0).slice(0, wanted);
}

/** The record moved out of the county on `day`: counts change from that Stichtag on. */
export function movedOut(r: PopulationRecord, day: string): PopulationRecord {
  return { ...r, validTo: day, endReason: 'move_out' };
}

export function writeNdjson(file: string, records: readonly object[]): void {
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/**
 * Writes at least `bytes` of population CSV: the header, then the county's rows again and again, each
 * copy's record ids suffixed (`pop-17` → `pop-17-c3`) so that every row is a new record. Returns rows.
 */
export async function bigPopulationCsv(source: string, target: string, bytes: number): Promise<number> {
  const lines: string[] = [];
  const input = createInterface({ input: createReadStream(source) });
  for await (const line of input) lines.push(line);
  const [header, ...rows] = lines;
  const idColumn = header.split(',').indexOf('recordId');
  if (idColumn !== 0) throw new Error(`expected recordId as the first column of ${source}, got header ${header}`);
  const out = createWriteStream(target);
  out.write(`${header}\n`);
  let written = header.length + 1;
  let count = 0;
  for (let copy = 1; written < bytes; copy++) {
    for (const row of rows) {
      const comma = row.indexOf(',');
      const line = `${row.slice(0, comma)}-c${copy}${row.slice(comma)}\n`;
      if (!out.write(line)) await once(out, 'drain');
      written += line.length;
      count++;
      if (written >= bytes) break;
    }
  }
  out.end();
  await once(out, 'finish');
  if (statSync(target).size < Math.min(bytes, 1)) throw new Error(`${target} was not written`);
  return count;
}
