import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { type Encoder, type Format, encoder } from './encoders';
import type { SourceName, SourceRecord } from './sources';

/**
 * One output file. Records are encoded into a small buffer that goes to the file stream in chunks;
 * when the stream's buffer is full, `needsDrain` tells the producer to wait — memory stays flat
 * however many records pass.
 */
const CHUNK_CHARS = 64 * 1024;

export interface FileSummary {
  source: SourceName;
  delivery: number;
  format: Format;
  path: string;
  records: number;
  deletions: number;
  bytes: number;
  sha256: string;
}

export class DeliveryFile {
  private readonly stream: WriteStream;
  private readonly encoder: Encoder;
  private readonly hash = createHash('sha256');
  private buffer = '';
  private records = 0;
  private deletions = 0;
  private bytes = 0;
  private blocked = false;
  private failure: Error | null = null;

  constructor(
    private readonly path: string,
    private readonly relativePath: string,
    private readonly source: SourceName,
    private readonly delivery: number,
    private readonly format: Format,
    fields: readonly string[],
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('drain', () => (this.blocked = false));
    // Kept and thrown at the next write: a full disk must stop the run, not crash it elsewhere.
    this.stream.on('error', (e) => (this.failure = e));
    this.encoder = encoder(format, fields);
    this.buffer = this.encoder.head;
  }

  write(record: SourceRecord): void {
    if (this.failure) throw new Error(`cannot write ${this.relativePath}: ${this.failure.message}`);
    this.buffer += this.encoder.record(record, this.records);
    this.records++;
    if (record.deleted === true) this.deletions++;
    if (this.buffer.length >= CHUNK_CHARS) this.flush();
  }

  get needsDrain(): boolean {
    return this.blocked;
  }

  drained(): Promise<void> {
    if (!this.blocked) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.stream.off('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        this.stream.off('drain', onDrain);
        reject(e);
      };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const chunk = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) this.blocked = true;
  }

  async close(): Promise<FileSummary> {
    this.buffer += this.encoder.tail(this.records);
    this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    return {
      source: this.source,
      delivery: this.delivery,
      format: this.format,
      path: this.relativePath,
      records: this.records,
      deletions: this.deletions,
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
    };
  }
}
