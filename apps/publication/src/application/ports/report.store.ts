import type { Report } from '../../domain/report';

/** Where reports are kept (MongoDB in the service): a handful of documents, one per report. */
export abstract class ReportStore {
  /** Every report, any state. */
  abstract all(): Promise<Report[]>;
  abstract get(id: string): Promise<Report | undefined>;
  /** Stores a new report; false when the id is taken. */
  abstract insert(report: Report): Promise<boolean>;
  /**
   * Replaces a report only while it is still as read (`state` and `updatedAt`), so two administrators
   * cannot both release or edit from the same version; false when it changed meanwhile.
   */
  abstract replace(report: Report, expected: Pick<Report, 'state' | 'updatedAt'>): Promise<boolean>;
}
