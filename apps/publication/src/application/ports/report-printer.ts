/** Raised when no PDF can be printed now (no browser installed, or it failed): the API answers 503. */
export class ReportPrinterUnavailableError extends Error {}

/** Prints a standalone HTML page to PDF (Chromium's print in the service). */
export abstract class ReportPrinter {
  abstract pdf(html: string): Promise<Buffer>;
}
