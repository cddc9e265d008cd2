import { Inject, Injectable } from '@nestjs/common';
import { MONGO_CONNECTION, pack, unpack } from '@sozialmonitor/platform';
import type { Connection, mongo } from 'mongoose';
import type { FigureValues, Report } from '../domain/report';
import type { ReportStore } from '../application/ports/report.store';
import { guarded } from './publication-log.repository';

/** One report; its pinned values packed (gzip JSON), the rest plain (readable in the database). */
type ReportDocument = Omit<Report, 'id' | 'pinned'> & { _id: string; pinned?: mongo.Binary };

export const REPORTS_COLLECTION = 'publication_reports';
const DUPLICATE_KEY = 11000;

function toDocument(report: Report): ReportDocument {
  const { id, pinned, ...rest } = report;
  return { _id: id, ...rest, ...(pinned ? { pinned: pack(pinned) } : {}) };
}

function toReport(doc: ReportDocument): Report {
  const { _id, pinned, ...rest } = doc;
  return { id: _id, ...rest, ...(pinned ? { pinned: unpack<FigureValues[]>(pinned) } : {}) };
}

/**
 * The reports (the only code that talks to `publication_reports`). A handful of documents, so the
 * conditional replace (FerretDB v1 scans the collection for it) stays in milliseconds; the release's
 * pinned values are one packed binary, read two orders of magnitude faster than nested documents.
 */
@Injectable()
export class ReportRepository implements ReportStore {
  private readonly reports: mongo.Collection<ReportDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.reports = connection.db!.collection<ReportDocument>(REPORTS_COLLECTION);
  }

  async all(): Promise<Report[]> {
    return guarded(async () => (await this.reports.find({}).toArray()).map(toReport));
  }

  async get(id: string): Promise<Report | undefined> {
    return guarded(async () => {
      const doc = await this.reports.findOne({ _id: id });
      return doc ? toReport(doc) : undefined;
    });
  }

  async insert(report: Report): Promise<boolean> {
    try {
      await guarded(() => this.reports.insertOne(toDocument(report)));
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === DUPLICATE_KEY) return false;
      throw e;
    }
  }

  async replace(report: Report, expected: Pick<Report, 'state' | 'updatedAt'>): Promise<boolean> {
    const result = await guarded(() =>
      this.reports.replaceOne({ _id: report.id, state: expected.state, updatedAt: expected.updatedAt }, toDocument(report)),
    );
    return result.matchedCount === 1;
  }
}
