import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { deliverableSource } from '@sozialmonitor/contracts';
import { SourceDeclarations } from '@sozialmonitor/messaging';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnreadableBodyError } from '../domain/body/body-item';
import { formatOfFileName } from '../domain/body/open-delivery';
import { DeliveryInterruptedError } from '../application/delivery-processor';
import { DeliveryService } from '../application/delivery.service';
import { IngestionEnvironment } from '../ingestion.environment';
import { SnapshotConflictError } from '../application/snapshot.service';

const FILE_NAME = /^([a-z0-9_]+)__[^/\\]+$/;

export type DropOutcome = 'done' | 'failed' | 'retry';

/**
 * The drop folder (api.md): a file `<source>__<anything>.csv|.ndjson|.json` (optionally `.gz`) placed in
 * DROP_FOLDER is delivered like a POST, then moved to `done/`, or — when any record was rejected or the
 * file could not be read — to `failed/` with `<file>.report.json` beside it. A file is first claimed by
 * renaming it into `processing/` (atomic), so several instances can watch one folder; when Kafka or
 * MongoDB is down it goes back and is tried again. Files whose name starts with `.` are ignored (write
 * to `.name` and rename when complete), as are files changed within DROP_FOLDER_SETTLE_MS.
 */
@Injectable()
export class DropFolderWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('DropFolder');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly env: IngestionEnvironment,
    private readonly deliveries: DeliveryService,
    private readonly sources: SourceDeclarations,
  ) {}

  get folder(): string | undefined {
    return this.env.DROP_FOLDER?.trim() || undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const folder = this.folder;
    if (!folder) return;
    for (const sub of ['processing', 'done', 'failed']) await mkdir(join(folder, sub), { recursive: true });
    await this.recoverClaims(folder);
    this.log.log(`watching drop folder ${folder} every ${this.env.DROP_FOLDER_POLL_MS} ms`);
    const tick = () => {
      if (this.stopped) return;
      this.running = this.scanOnce()
        .then(() => undefined)
        .catch((e) => this.log.error(`drop folder scan failed: ${(e as Error).name}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.env.DROP_FOLDER_POLL_MS);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the folder: every settled file is delivered in name order. Returns what happened. */
  async scanOnce(): Promise<Map<string, DropOutcome>> {
    const folder = this.folder;
    const outcomes = new Map<string, DropOutcome>();
    if (!folder) return outcomes;
    const entries = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name);
    for (const name of entries.sort()) {
      if (this.stopped) break;
      const info = await stat(join(folder, name)).catch(() => undefined); // gone meanwhile: claimed by another instance
      if (!info || Date.now() - info.mtimeMs < this.env.DROP_FOLDER_SETTLE_MS) continue;
      const claimed = join(folder, 'processing', name);
      try {
        await rename(join(folder, name), claimed);
      } catch {
        continue; // another instance took it
      }
      outcomes.set(name, await this.deliverFile(folder, name, claimed));
    }
    return outcomes;
  }

  private async deliverFile(folder: string, name: string, path: string): Promise<DropOutcome> {
    const match = FILE_NAME.exec(name);
    let declaration = match ? deliverableSource(match[1]) : undefined;
    if (match && !declaration) {
      // A source registered a moment ago: read the source topic to its end first.
      await this.sources.catchUpIfPossible();
      declaration = deliverableSource(match[1]);
    }
    const kind = formatOfFileName(name);
    if (!declaration || !kind) {
      const reason = !declaration
        ? 'the file name must start with a known source followed by __'
        : 'the file must end in .csv, .ndjson or .json (optionally .gz)';
      return this.finish(folder, name, path, 'failed', { file: name, status: 'failed', reason });
    }
    const body = createReadStream(path);
    try {
      const report = await this.deliveries.deliver({
        declaration,
        body,
        format: kind.format,
        gzip: kind.gzip,
        channel: 'drop_folder',
        deliveredBy: `drop-folder:${declaration.name}`,
      });
      const outcome = report.rejected > 0 ? 'failed' : 'done';
      return this.finish(folder, name, path, outcome, {
        file: name,
        status: outcome === 'done' ? 'delivered' : 'delivered with rejected records',
        ...report,
      });
    } catch (e) {
      body.destroy();
      if (e instanceof DeliveryInterruptedError && e.why !== 'unavailable') {
        return this.finish(folder, name, path, 'failed', {
          file: name,
          status: 'unreadable',
          reason: (e.cause as Error).message,
          line: e.cause instanceof UnreadableBodyError ? e.cause.line : undefined,
          received: e.report.received,
          published: e.published,
          errors: e.report.errors,
        });
      }
      if (e instanceof SnapshotConflictError)
        return this.finish(folder, name, path, 'failed', { file: name, status: 'failed', reason: e.message });
      // Kafka or MongoDB unavailable: put the file back and try again later (a re-send replaces, never duplicates).
      this.log.warn(
        `drop folder file will be retried: ${(e instanceof DeliveryInterruptedError ? e.cause : (e as Error))?.constructor?.name}`,
      );
      await rename(path, join(folder, name));
      return 'retry';
    }
  }

  private async finish(
    folder: string,
    name: string,
    path: string,
    outcome: 'done' | 'failed',
    report: Record<string, unknown>,
  ): Promise<DropOutcome> {
    const target = join(folder, outcome, name);
    if (outcome === 'failed') await writeFile(`${target}.report.json`, JSON.stringify(report, null, 2) + '\n');
    await rename(path, target);
    this.log.log(
      `drop folder file ${outcome}: ${JSON.stringify({ file: name, received: report.received, rejected: report.rejected })}`,
    );
    return outcome;
  }

  /** Files left in processing/ by a crash go back to the folder (their delivery is simply repeated). */
  private async recoverClaims(folder: string): Promise<void> {
    for (const name of await readdir(join(folder, 'processing'))) {
      // No file name or path in the log (ingestion's input may name people); it stays for the next start.
      await rename(join(folder, 'processing', name), join(folder, name)).catch((e: NodeJS.ErrnoException) =>
        this.log.warn(`a file claimed before a crash was not given back (${e.code ?? e.name}); tried again at the next start`),
      );
    }
  }
}
