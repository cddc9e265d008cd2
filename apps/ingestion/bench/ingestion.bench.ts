/**
 * Benchmark of the ingestion service (not a test): streams a generated CSV of population records
 * (default 1 GiB) through a real ingestion process on the local Kafka and MongoDB, and reports
 * records/s, MB/s and the service's peak RSS — the proof that a large delivery goes through with
 * bounded memory.
 *
 *   npm run bench -- ingestion                 (1 GiB)
 *   BENCH_INGESTION_MB=100 npm run bench -- ingestion
 *   node tools/run-ts.js apps/ingestion/bench/ingestion.bench.ts --mb 100 [--force]
 *
 * The records go to the shared raw topic sealed with a throwaway key. If the stack's anonymization
 * service is running it would dead-letter every one of them, so the benchmark refuses to run then
 * (stop the service, or pass --force).
 */
import { MUNICIPALITIES } from '@sozialmonitor/regions';
import { createKafka } from '@sozialmonitor/messaging';
import mongoose from 'mongoose';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { isolatedMongoUrl } from '../../../test/protected-zone/support/fixtures';
import { freePort } from '@sozialmonitor/testing/free-port';
import { startService } from '../../../test/protected-zone/support/running-service';

const MiB = 1024 * 1024;
const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const HEADER =
  'recordId,personId,firstName,lastName,birthDate,sex,nationality,street,houseNumber,postalCode,ags,validFrom,validTo,startReason,endReason';
const NAMES = ['Anna', 'Ben', 'Carla', 'Deniz', 'Emil', 'Fatma', 'Gregor', 'Hanna', 'Ivan', 'Jana'];
const STREETS = ['Hauptstraße', 'Am Markt', 'Bahnhofstraße', 'Kirchweg', 'Lindenallee', '"Weg ""Alt"", Nord"'];
const NATIONALITIES = ['DE', 'DE', 'DE', 'DE', 'TR', 'PL', 'SY', 'UA', 'XX'];
const AGS = MUNICIPALITIES.map((m) => m.ags);

/** Valid population rows (closed and open spells), generated as text as fast as possible. */
function* csvRows(run: string): Generator<string> {
  for (let i = 0; ; i++) {
    const year = 1930 + (i % 90);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    const closed = i % 3 === 0;
    yield `bench-${run}-${i},P${i},${NAMES[i % 10]},Beispiel${i % 997},${year}-${month}-${day},${'mfdx'[i % 4]},${NATIONALITIES[i % 9]},${STREETS[i % 6]},${1 + (i % 200)},25${String(i % 1000).padStart(3, '0')},${AGS[i % AGS.length]},2020-${month}-${day},${closed ? `2024-${month}-${day}` : ''},${closed ? 'move_in' : 'initial'},${closed ? 'move_out' : ''}\r\n`;
  }
}

/** A body of about `bytes` bytes, produced in 64 KiB chunks on demand (never held in memory). */
function csvBody(bytes: number, run: string): { stream: Readable; rows: () => number } {
  const rows = csvRows(run);
  let produced = 0;
  let count = 0;
  const stream = new Readable({
    read() {
      if (produced === 0) {
        produced += HEADER.length + 2;
        this.push(`${HEADER}\r\n`);
      }
      let chunk = '';
      while (chunk.length < 65536 && produced + chunk.length < bytes) {
        chunk += rows.next().value;
        count++;
      }
      produced += chunk.length;
      this.push(chunk.length > 0 ? chunk : null);
    },
  });
  return { stream, rows: () => count };
}

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

async function anonymizationRunning(): Promise<boolean> {
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'ingestion-bench', log: () => undefined });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups(['anonymization']);
    return groups.some((g) => g.members.length > 0);
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const megabytes = Number(argument('mb') ?? process.env.BENCH_INGESTION_MB ?? 1024);
  if (!process.env.KAFKA_BROKERS || !process.env.MONGO_URL)
    throw new Error('KAFKA_BROKERS and MONGO_URL must be set (npm run bench sets them)');
  if ((await anonymizationRunning()) && !process.argv.includes('--force')) {
    console.log(
      'the stack’s anonymization service is running and would dead-letter every benchmark record: stop it, or pass --force',
    );
    process.exitCode = 2;
    return;
  }
  const run = randomUUID().slice(0, 8);
  const database = `sm_bench_${run}`;
  const token = randomBytes(24).toString('base64url');
  const port = await freePort();
  console.log(`starting ingestion (database ${database}) …`);
  const service = await startService(
    'ingestion',
    {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      MONGO_URL: isolatedMongoUrl(process.env.MONGO_URL, database),
      RAW_ENCRYPTION_KEYS: `bench-${run}:${randomBytes(32).toString('base64')}`,
      API_TOKENS: JSON.stringify([{ name: 'bench', token, roles: ['ingest'], sources: ['population'] }]),
      INGESTION_PORT: String(port),
      INGESTION_MAX_BODY_BYTES: String(4 * 1024 * MiB),
      LOG_LEVEL: 'warn',
    },
    port,
  );
  const baseline = memoryOf(service.pid);
  let maxRss = baseline.rss;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, memoryOf(service.pid).rss)), 250);
  const body = csvBody(megabytes * MiB, run);
  console.log(`streaming ${fmt(megabytes)} MiB of CSV (population records) …`);
  const started = process.hrtime.bigint();
  let lastReport = Date.now();
  const progress = setInterval(() => {
    const s = Number(process.hrtime.bigint() - started) / 1e9;
    if (Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    console.log(
      `  … ${fmt(body.rows())} rows sent after ${fmt(s)} s, service RSS ${fmt(memoryOf(service.pid).rss / MiB)} MiB`,
    );
  }, 1000);
  try {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${service.url}/api/v1/sources/population/records`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'transfer-encoding': 'chunked', authorization: `Bearer ${token}` },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      body.stream.pipe(req);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const memory = memoryOf(service.pid);
    const report = JSON.parse(answer.text) as { received: number; accepted: number; rejected: number };
    if (answer.status !== 202) {
      throw new Error(
        `ingestion answered ${answer.status}: ${answer.text.slice(0, 300)}\nservice log:\n${service.output().slice(-3000)}`,
      );
    }
    console.log(
      `status ${answer.status}: received ${fmt(report.received)}, accepted ${fmt(report.accepted)}, rejected ${fmt(report.rejected)}`,
    );
    console.log(
      `time ${fmt(seconds, 1)} s · ${fmt(report.received / seconds)} records/s · ${fmt(megabytes / seconds, 1)} MiB/s`,
    );
    console.log(
      `service RSS: at start ${fmt(baseline.rss / MiB)} MiB, peak ${fmt(Math.max(memory.peak, maxRss) / MiB)} MiB (VmHWM) for a ${fmt(megabytes)} MiB body`,
    );
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
    await service.stop();
    const connection = await mongoose.createConnection(isolatedMongoUrl(process.env.MONGO_URL, database)).asPromise();
    await connection.dropDatabase();
    await connection.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
