import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Cell, ExportColumn, ExportTable } from '@sozialmonitor/contracts';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { ApiProblems, problem, toExportCsv, toParquet } from '@sozialmonitor/platform';
import { computedRegions } from '@sozialmonitor/regions';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { ValueReader } from '../application/value-reader';
import { parseValuesQuery, type RawQuery } from '../domain/query-parameters';
import { valueView } from '../domain/value-record';
import { AS_OF_PARAMETER_SCHEMA, YEAR_PARAMETER_SCHEMA } from './openapi-schemas';
import { PeriodRequests } from './period-request';
import { badParameters } from './responder';
import { valueCells } from './views';

const REGIONS = computedRegions();
const FORMATS = ['parquet', 'csv', 'metadata.json'] as const;

const COLUMNS: ExportColumn[] = [
  { name: 'indicator', type: 'string', description: 'Indikator-ID (GET /api/v1/indicators)' },
  { name: 'unit', type: 'string', description: 'Einheit des Indikators (%, ‰, persons, …)' },
  { name: 'region_code', type: 'string', description: 'AGS der Gemeinde oder 01056 (Kreis)' },
  { name: 'region_name', type: 'string', description: 'Name der Region' },
  { name: 'region_level', type: 'string', description: 'municipality | county' },
  { name: 'period', type: 'string', description: 'Jahr YYYY (Stand 31.12.)' },
  { name: 'value', type: 'number', description: 'der veröffentlichte Wert; leer, wenn geschützt oder nicht vorhanden' },
  { name: 'suppressed', type: 'boolean', description: 'true: aus Datenschutzgründen nicht veröffentlicht (weniger als 3 Fälle oder sekundär)' },
  { name: 'reason', type: 'string', description: 'primary | secondary | no_data | …: warum kein Wert veröffentlicht ist' },
  { name: 'county', type: 'number', description: 'Vergleichswert Kreis (bei Gemeinden)' },
  { name: 'state', type: 'number', description: 'Vergleichswert Schleswig-Holstein' },
  { name: 'germany', type: 'number', description: 'Vergleichswert Deutschland' },
  { name: 'revised', type: 'boolean', description: 'true: weicht von der ersten Veröffentlichung ab (Korrektur)' },
  { name: 'indicator_version', type: 'number', description: 'Version der Definition, mit der der Wert berechnet wurde' },
];

/**
 * The published values as one long table for analysis tools (README "Exports"): Parquet, CSV and a
 * metadata file. Public like every published value (disclosure-controlled already: no k check needed).
 */
@ApiTags('downloads')
@Controller('api/v1/downloads')
export class ValuesExportController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly reader: ValueReader,
    private readonly periods: PeriodRequests,
  ) {}

  @Get('values.:format')
  @ApiParam({ name: 'format', enum: [...FORMATS], description: 'parquet, csv, or metadata.json (columns, types, units, licence, counts)' })
  @ApiOperation({
    summary: 'Every published value (indicator × region × year) as one table: Parquet or CSV, with a metadata file',
    description:
      'Columns: indicator, unit, region_code, region_name, region_level, period, value, suppressed, reason, county, state, germany, revised (as the CSV answers), indicator_version. ' +
      'Years `from`…`to` (default FIRST_YEAR … the last completed year), `asOf` as published at that moment. For pandas: `pd.read_parquet(url)`.',
  })
  @ApiQuery({ name: 'from', required: false, schema: YEAR_PARAMETER_SCHEMA, example: 2015 })
  @ApiQuery({ name: 'to', required: false, schema: YEAR_PARAMETER_SCHEMA, example: 2024 })
  @ApiQuery({ name: 'asOf', required: false, schema: AS_OF_PARAMETER_SCHEMA })
  @ApiResponse({
    status: 200,
    description: 'the table or its metadata',
    content: {
      'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
      'text/csv': { schema: { type: 'string' } },
      'application/json': { schema: { type: 'object' } },
    },
  })
  @ApiProblems({ 400: 'A bad parameter, or a rule between parameters broken (named in the problem)', 404: 'An unknown format' })
  async values(
    @Param('format') format: string,
    @Query() query: RawQuery,
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    if (!(FORMATS as readonly string[]).includes(format))
      throw problem(404, 'Unknown format', `values.${format.slice(0, 40)}: the formats are ${FORMATS.join(', ')}`);
    const extra = Object.keys(query).find((k) => k === 'date' || k === 'region');
    if (extra) throw badParameters([{ parameter: extra, message: 'is not a parameter of the export (allowed: from, to, asOf)' }]);
    const asked = this.periods.ask(parseValuesQuery, query, authorization);
    const { selection, asOf } = asked.query;
    if (selection.kind !== 'stored') throw new Error('the export reads stored years only');
    const periods = selection.periods.map((p) => p.stored);
    const table = await this.table(periods, asOf);
    const generatedAt = new Date().toISOString();
    let body: Buffer;
    let type: string;
    if (format === 'parquet') [body, type] = [Buffer.from(toParquet(table)), 'application/vnd.apache.parquet'];
    else if (format === 'csv') [body, type] = [Buffer.from(toExportCsv(table)), 'text/csv; charset=utf-8'];
    else [body, type] = [Buffer.from(JSON.stringify(this.metadata(table, periods, asOf, generatedAt), null, 2)), 'application/json; charset=utf-8'];
    return reply
      .status(200)
      .header('Content-Type', type)
      .header('Cache-Control', asked.cacheControl())
      .header('ETag', `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`)
      .header('Content-Disposition', `attachment; filename="sozialmonitor-values.${format}"`)
      .send(body);
  }

  private async table(periods: string[], asOf: string | undefined): Promise<ExportTable> {
    const wanted = new Set(REGIONS.map((r) => r.code));
    const rows: Cell[][] = [];
    for (const id of this.catalogue.allIds()) {
      const def = this.catalogue.current(id)!;
      const { records } = asOf
        ? await this.reader.asOfValues(id, periods, wanted, asOf)
        : await this.reader.storedValues(id, periods, wanted);
      for (const r of records) {
        const v = valueView(r, r.period);
        rows.push([...valueCells(id, def.unit, v), v.indicatorVersion ?? def.version]);
      }
    }
    return { columns: COLUMNS, rows };
  }

  private metadata(table: ExportTable, periods: string[], asOf: string | undefined, generatedAt: string) {
    const units = Object.fromEntries(this.catalogue.allIds().map((id) => [id, this.catalogue.current(id)!.unit]));
    return {
      title: 'Sozialmonitor Kreis Pinneberg — veröffentlichte Indikatorwerte',
      generatedAt,
      ...(asOf ? { asOf } : {}),
      licence:
        'Veröffentlichte, geheimhaltungsgeprüfte Werte des Kreises Pinneberg; Nutzung mit Quellenangabe „Sozialmonitor Kreis Pinneberg“.',
      catalogueVersion: this.catalogue.catalogueVersion,
      periods,
      files: ['values.parquet', 'values.csv'],
      columns: table.columns,
      units,
      disclosureControl:
        'Primär geschützt: eine Zählgröße zwischen 1 und 2; sekundär: eine weitere Gemeinde, wenn in einem Jahr genau eine geschützt ist. Geschützte Werte sind leer (suppressed = true).',
      k: null,
      counts: {
        rows: table.rows.length,
        suppressed: table.rows.filter((r) => r[7] === true).length,
        indicators: new Set(table.rows.map((r) => r[0])).size,
        regions: new Set(table.rows.map((r) => r[2])).size,
      },
    };
  }
}
