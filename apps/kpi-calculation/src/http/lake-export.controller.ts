import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { problem, toExportCsv, toParquet } from '@sozialmonitor/platform';
import { RequireRole } from '@sozialmonitor/platform/auth';
import type { FastifyReply } from 'fastify';
import { strToU8, zipSync } from 'fflate';
import { LakeExporter } from '../application/lake-exporter';
import { DROPPED_FIELDS } from '../domain/lake-export';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

/** The quasi-identifiers and their hierarchy, as metadata.json states them (libs/privacy k-anonymity). */
const HIERARCHY = [
  '0: birth month YYYY-MM, sex, nationality group, municipality AGS (as in the lake)',
  '1: birth year',
  '2: five-year birth band (1980–1984, …)',
  '3: and the county 01056 instead of the municipality',
  '4: and sex *',
  '5: and nationality group *',
  'records in a class of fewer than k persons even at level 5 are withheld',
];

/**
 * The analysts' export of the anonymized lake (README "Exports"), role `analyst`: a ZIP with
 * `<source>.parquet` and `<source>.csv` per source and `metadata.json` (columns, types, licence, time,
 * k, counts of released, generalized and withheld records per source).
 */
@ApiTags('exports')
@RequireRole('analyst', 'microdata of the anonymized lake (k-anonymous, but not for the public)')
@Controller('api/v1/exports')
export class LakeExportController {
  constructor(
    private readonly exporter: LakeExporter,
    private readonly env: KpiCalculationEnvironment,
  ) {}

  @Get('lake.zip')
  @ApiOperation({
    summary: 'The anonymized lake for analysis: per source Parquet and CSV, and metadata.json; quasi-identifiers k-anonymous',
    description:
      'No identifiers or pseudonyms; spell dates cut to the month; birth month, sex, nationality group and municipality generalized ' +
      '(birth year → five-year band → county → sex * → nationality *) where fewer than k persons share them, and withheld where that is not enough. ' +
      '`metadata.json` says per source how many records were released, generalized (per level) and withheld.',
  })
  @ApiQuery({ name: 'k', required: false, schema: { type: 'integer', minimum: 2, maximum: 1000 }, description: 'at least EXPORT_K_ANONYMITY (default 5)' })
  @ApiResponse({ status: 200, description: 'the ZIP', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 400, description: 'k below the configured minimum or not an integer, or an unknown parameter' })
  async lake(@Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply) {
    const unknown = Object.keys(query).filter((key) => key !== 'k');
    const min = this.env.EXPORT_K_ANONYMITY;
    const k = query.k === undefined ? min : /^\d{1,4}$/.test(query.k) ? Number(query.k) : NaN;
    const errors = [
      ...unknown.map((parameter) => ({ parameter, message: 'unknown parameter (allowed: k)' })),
      ...(Number.isInteger(k) && k >= min && k <= 1000 ? [] : [{ parameter: 'k', message: `must be an integer ${min}…1000` }]),
    ];
    if (errors.length > 0)
      throw problem(400, 'Bad request', errors.map((e) => `${e.parameter}: ${e.message}`).join('; '), { errors });
    const generatedAt = new Date().toISOString();
    const result = await this.exporter.export(k);
    const files: Record<string, Uint8Array> = {};
    const sources: Record<string, unknown> = {};
    for (const report of result.reports) {
      const table = result.tables.get(report.source)!;
      files[`${report.source}.parquet`] = toParquet(table);
      files[`${report.source}.csv`] = strToU8(toExportCsv(table));
      sources[report.source] = {
        files: [`${report.source}.parquet`, `${report.source}.csv`],
        columns: table.columns,
        counts: report,
      };
    }
    const metadata = {
      title: 'Sozialmonitor Kreis Pinneberg — anonymisierter Datenbestand (Mikrodaten) für Analysen',
      generatedAt,
      licence:
        'Nur für die Analyse in der Kreisverwaltung (Sozialdaten, SGB X §§ 67 ff.): nicht veröffentlichen, nicht weitergeben, nicht mit anderen Daten zusammenführen, um Personen zu erkennen.',
      k,
      kCountsPersons: 'a class is counted in persons (or households), not records: several spells of one person count once',
      quasiIdentifiers: ['birthMonth', 'sex', 'nationalityGroup', 'ags'],
      hierarchy: HIERARCHY,
      droppedFields: DROPPED_FIELDS.filter((f) => f !== 'source' && f !== 'deleted'),
      dates: 'validFrom and validTo are cut to the month (YYYY-MM)',
      totals: {
        records: result.reports.reduce((n, r) => n + r.records, 0),
        released: result.reports.reduce((n, r) => n + r.released, 0),
        generalized: result.reports.reduce((n, r) => n + r.generalized, 0),
        withheld: result.reports.reduce((n, r) => n + r.withheld, 0),
      },
      sources,
    };
    files['metadata.json'] = strToU8(JSON.stringify(metadata, null, 2));
    const zip = Buffer.from(zipSync(files, { level: 6 }));
    return reply
      .status(200)
      .header('Content-Type', 'application/zip')
      .header('Cache-Control', 'private, no-store')
      .header('Content-Disposition', `attachment; filename="sozialmonitor-lake-k${k}.zip"`)
      .send(zip);
  }
}
