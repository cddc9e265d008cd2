import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Clock, problem } from '@sozialmonitor/platform';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReportPrinter, ReportPrinterUnavailableError } from '../application/ports/report-printer';
import { Reports } from '../application/reports';
import type { Report } from '../domain/report';
import type { ValueRecord } from '../domain/value-record';
import { renderReportHtml } from '../domain/report-html';
import { etagOf, matchesIfNoneMatch } from '../domain/http-caching';
import { badParameters, CACHE_CONTROL, respond } from './responder';
import { reportProblem, reportSummary, reportView } from './report-views';

const ID_PARAM = { name: 'id', schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }, example: 'sozialbericht-2025' };
const COMPARE_QUERY = {
  name: 'compare',
  required: false,
  schema: { type: 'string', enum: ['current'] },
  description: '`current`: today’s values beside the pinned ones, differences marked',
};
const OBJECT = { type: 'object' };
/** A report's HTML: no scripts, one inline style sheet, nothing loaded from anywhere. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";
/** PDFs kept per instance: more than the released reports of many years, so prints stay rare. */
const PDF_CACHE = 64;

/** Only `compare=current` (unknown parameters are a 400, as everywhere in this API). */
function compareOf(query: Record<string, unknown>): boolean {
  const unknown = Object.keys(query).filter((k) => k !== 'compare');
  const errors = unknown.map((parameter) => ({ parameter, message: 'unknown parameter' }));
  if (query.compare !== undefined && query.compare !== 'current')
    errors.push({ parameter: 'compare', message: "must be 'current'" });
  if (errors.length) throw badParameters(errors);
  return query.compare === 'current';
}

/**
 * Released reports for the public (issue #17): list, read as JSON, rendered HTML (German) and PDF
 * (Chromium's print, on request, kept per report version). The figures are the values pinned at the
 * release; `compare=current` shows today's beside them.
 */
@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportsController {
  private readonly pdfs = new Map<string, Buffer>();

  constructor(
    private readonly reports: Reports,
    private readonly catalogue: Catalogue,
    private readonly printer: ReportPrinter,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The released reports, newest first' })
  @ApiResponse({ status: 200, description: 'the reports', schema: OBJECT })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiProblems({ 406: 'Only JSON', 503: 'MongoDB unavailable' })
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const reports = await this.reports.list(false);
    return respond(request, reply, {
      json: { reports: reports.map((r) => reportSummary(r)) },
      cacheControl: CACHE_CONTROL.current,
    });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A released report with its figures pinned to the values as published at its release',
    description: 'Unknown query parameters are a 400. A withdrawn report answers 410 with the reason.',
  })
  @ApiParam(ID_PARAM)
  @ApiQuery(COMPARE_QUERY)
  @ApiResponse({ status: 200, description: 'the report', schema: OBJECT })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiProblems({ 400: 'A bad parameter', 404: 'No such released report', 406: 'Only JSON', 410: 'The report was withdrawn', 503: 'MongoDB unavailable' })
  async read(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { report, current } = await this.load(id, query);
    return respond(request, reply, {
      json: reportView(report, current),
      cacheControl: current ? CACHE_CONTROL.current : CACHE_CONTROL.stable,
    });
  }

  @Get(':id/html')
  @ApiOperation({ summary: 'A released report rendered as a German HTML page (figures as tables and charts)' })
  @ApiParam(ID_PARAM)
  @ApiQuery(COMPARE_QUERY)
  @ApiResponse({ status: 200, description: 'the page', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiProblems({ 400: 'A bad parameter', 404: 'No such released report', 410: 'The report was withdrawn', 503: 'MongoDB unavailable' })
  async html(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { report, current } = await this.load(id, query);
    return this.send(request, reply, this.render(report, current), 'text/html; charset=utf-8', current !== undefined);
  }

  @Get(':id/pdf')
  @ApiOperation({
    summary: 'A released report as PDF (Chromium’s print of the HTML page) for the council’s papers',
    description: 'Printed on the first request and kept in memory per report version.',
  })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, description: 'the PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiProblems({ 400: 'A bad parameter', 404: 'No such released report', 410: 'The report was withdrawn', 503: 'No browser to print with, or MongoDB unavailable' })
  async pdf(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (Object.keys(query).length > 0)
      throw badParameters(Object.keys(query).map((parameter) => ({ parameter, message: 'unknown parameter' })));
    const report = await this.reports.read(id, false).catch(reportProblem);
    const key = `${report.id}@${report.updatedAt}`;
    let pdf = this.pdfs.get(key);
    if (!pdf) {
      try {
        pdf = await this.printer.pdf(this.render(report));
      } catch (e) {
        if (e instanceof ReportPrinterUnavailableError) throw problem(503, 'Service Unavailable', e.message);
        throw e;
      }
      if (this.pdfs.size >= PDF_CACHE) this.pdfs.delete(this.pdfs.keys().next().value!);
      this.pdfs.set(key, pdf);
    }
    reply.header('Content-Disposition', `inline; filename="${report.id}.pdf"`);
    return this.send(request, reply, pdf, 'application/pdf', false);
  }

  /** The released report and, with `compare=current`, today's values of its figures. */
  private async load(id: string, query: Record<string, unknown>) {
    const compare = compareOf(query);
    const report = await this.reports.read(id, false).catch(reportProblem);
    return { report, current: compare ? await this.reports.currentValues(report) : undefined };
  }

  private render(report: Report, current?: Map<string, ValueRecord[]>) {
    return renderReportHtml(report, {
      current,
      timeZone: this.clock.timeZone,
      indicator: (i) => {
        const def = this.catalogue.current(i);
        return { name: def?.names.de ?? i, unit: def?.unit ?? '' };
      },
    });
  }

  private send(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, type: string, current: boolean) {
    const etag = etagOf(typeof body === 'string' ? body : body.toString('base64'), type);
    reply
      .header('ETag', etag)
      .header('Cache-Control', current ? CACHE_CONTROL.current : CACHE_CONTROL.stable)
      .header('Content-Security-Policy', REPORT_CSP)
      .header('X-Content-Type-Options', 'nosniff');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.status(200).header('Content-Type', type).send(body);
  }
}
