import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileSummary } from '../../generator/src/delivery-file';
import type { Manifest } from '../../generator/src/generate';

export type DeliveryFormat = 'csv' | 'ndjson' | 'json';

export const CONTENT_TYPES: Record<DeliveryFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  json: 'application/json',
};

/** Each source delivers in the format its source system would use; corrections come as NDJSON. */
export const FORMAT_OF_SOURCE: Record<string, DeliveryFormat> = {
  reference_values: 'json',
  population: 'csv',
  sgb2: 'ndjson',
  unemployment: 'json',
  childcare: 'csv',
  youth_welfare: 'ndjson',
  housing_benefit: 'json',
  basic_income_elderly: 'csv',
};

/** The generated files of one delivery (1, then 2) in the order and format the source systems send them; empty ones left out. */
export function filesToDeliver(manifest: Pick<Manifest, 'files'>, delivery: number): FileSummary[] {
  return Object.entries(FORMAT_OF_SOURCE).flatMap(([source, format]) =>
    manifest.files.filter(
      (f) =>
        f.source === source &&
        f.delivery === delivery &&
        f.format === (delivery === 1 ? format : 'ndjson') &&
        f.records > 0,
    ),
  );
}

export interface DeliveryAnswer {
  deliveryId: string;
  source: string;
  received: number;
  accepted: number;
  rejected: number;
  errors: { index: number; line?: number; recordId?: string; field: string; message: string }[];
}

/**
 * Streams a file to the ingestion API like a source system would: `POST /api/v1/sources/{source}/records`,
 * never holding the file in memory. Reports sent bytes for a progress bar.
 */
export async function deliverFile(options: {
  baseUrl: string;
  token: string;
  source: string;
  file: string;
  format: DeliveryFormat;
  onBytes?: (sent: number, total: number) => void;
}): Promise<DeliveryAnswer> {
  const url = new URL(`/api/v1/sources/${encodeURIComponent(options.source)}/records`, options.baseUrl);
  const total = statSync(options.file).size;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      options.onBytes?.(sent, total);
      done(null, chunk);
    },
  });
  return new Promise<DeliveryAnswer>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': CONTENT_TYPES[options.format],
          'content-length': String(total),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 202)
            return reject(new Error(`delivery of ${options.source} answered ${res.statusCode}: ${body.slice(0, 500)}`));
          resolve(JSON.parse(body) as DeliveryAnswer);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    pipeline(createReadStream(options.file), counter, req).catch(reject);
  });
}

/** Ingestion answers 503 when Kafka or MongoDB could not store a delivery durably: resend it, as a source system would. */
export async function resendOn503<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts || !/answered 503/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 5000 * i));
    }
  }
}
