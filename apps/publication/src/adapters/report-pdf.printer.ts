import { existsSync } from 'node:fs';
import { Injectable, Logger } from '@nestjs/common';
import { chromium } from 'playwright-core';
import { ReportPrinter, ReportPrinterUnavailableError } from '../application/ports/report-printer';
import { PublicationEnvironment } from '../publication.environment';

/**
 * Chromium's print (playwright-core drives the Debian package `chromium`; it never downloads a browser).
 * One print at a time: a browser per print costs ~1 s and ~150 MB, so a burst of requests queues
 * instead of starting many browsers on a small machine. The page is set from our own HTML and may load
 * nothing (every request from it is refused).
 */
@Injectable()
export class ReportPdfPrinter extends ReportPrinter {
  private readonly log = new Logger('ReportPdfPrinter');
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly env: PublicationEnvironment) {
    super();
  }

  pdf(html: string): Promise<Buffer> {
    const run = this.queue.then(() => this.print(html));
    this.queue = run.catch(() => undefined); // the queue only orders the prints: the caller of `run` gets its failure
    return run;
  }

  private async print(html: string): Promise<Buffer> {
    const executablePath = this.env.PUBLICATION_CHROMIUM_PATH;
    if (!existsSync(executablePath))
      throw new ReportPrinterUnavailableError(`no Chromium at PUBLICATION_CHROMIUM_PATH (${executablePath})`);
    let browser;
    try {
      browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
      const page = await browser.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
    } catch (e) {
      this.log.error(`printing a report failed: ${(e as Error).message}`);
      throw new ReportPrinterUnavailableError('the report could not be printed');
    } finally {
      // A browser left open holds a Chromium process: say so, but the report's own outcome stands.
      await browser?.close().catch((e: Error) => this.log.warn(`the report browser did not close: ${e.message}`));
    }
  }
}
