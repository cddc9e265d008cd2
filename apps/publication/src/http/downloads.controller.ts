import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { computedRegions } from '@sozialmonitor/regions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { BoundariesRepository } from '../adapters/boundaries.repository';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { ValueReader } from '../application/value-reader';
import { zipFiles } from '../domain/bulk-export';
import { matchesIfNoneMatch } from '../domain/http-caching';
import { parseValuesQuery, type RawQuery } from '../domain/query-parameters';
import { valueView } from '../domain/value-record';
import { PeriodRequests } from './period-request';
import { badParameters } from './responder';
import { indicatorView, valuesCsv } from './views';

const REGIONS = computedRegions();

@ApiTags('downloads')
@Controller('api/v1/downloads')
export class DownloadsController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly reader: ValueReader,
    private readonly periods: PeriodRequests,
    private readonly boundaries: BoundariesRepository,
  ) {}

  @Get('sozialmonitor.zip')
  @ApiOperation({
    summary: 'Bulk download: every indicator × region × year as CSV plus metadata.json, in one ZIP',
    description:
      '`values/<indicator>.csv` per indicator (the columns of `/indicators/{id}/values` as CSV) for every municipality and the county ' +
      'and the years `from`…`to` (default FIRST_YEAR … the last completed year); `metadata.json`: the catalogue, the regions, ' +
      'how disclosure control works, attribution. `asOf` answers as published at that moment. Suppressed values are empty cells.',
  })
  @ApiQuery({ name: 'from', required: false, example: 2015 })
  @ApiQuery({ name: 'to', required: false, example: 2024 })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiBearerAuth()
  @ApiProduces('application/zip')
  @ApiResponse({ status: 400, description: 'a bad parameter (named in the problem)' })
  async bulk(
    @Query() query: RawQuery,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (query.date !== undefined || query.region !== undefined)
      throw badParameters([
        {
          parameter: query.date !== undefined ? 'date' : 'region',
          message: 'is not a parameter of the bulk download (allowed: from, to, asOf)',
        },
      ]);
    const asked = this.periods.ask(parseValuesQuery, query, authorization);
    const { selection, asOf } = asked.query;
    if (selection.kind !== 'stored') throw new Error('the bulk download reads stored years only');
    const periods = selection.periods.map((p) => p.stored);
    const wanted = new Set(REGIONS.map((r) => r.code));
    const defs = this.catalogue.allIds().map((id) => this.catalogue.current(id)!);
    const files = [];
    for (const def of defs) {
      const { records } = asOf
        ? await this.reader.asOfValues(def.id, periods, wanted, asOf)
        : await this.reader.storedValues(def.id, periods, wanted);
      files.push({
        path: `values/${def.id}.csv`,
        text: valuesCsv(records.map((r) => ({ indicatorId: def.id, unit: def.unit, view: valueView(r, r.period) }))),
      });
    }
    files.push({
      path: 'metadata.json',
      text: JSON.stringify(
        {
          title: 'Sozialmonitor Kreis Pinneberg — alle Indikatoren, Regionen und Jahre',
          periods,
          ...(asOf ? { asOf } : {}),
          catalogueVersion: this.catalogue.catalogueVersion,
          indicators: defs.map(indicatorView),
          regions: REGIONS,
          columns: {
            value: 'der veröffentlichte Wert; leer, wenn geschützt (suppressed) oder nicht vorhanden',
            suppressed:
              'true: weniger als 3 Fälle in einer Zählgröße (oder sekundär geschützt) — der Wert wird nicht veröffentlicht',
            reason: 'primary | secondary | no_data | …: warum kein Wert veröffentlicht ist',
            revised: 'true: der Wert weicht von seiner ersten Veröffentlichung ab (Korrektur)',
          },
          disclosureControl:
            'Ein Wert wird geschützt, wenn eine Zählgröße, aus der er berechnet wird, zwischen 1 und 2 liegt (primär); ' +
            'ist in einem Jahr genau eine Gemeinde geschützt, wird eine weitere geschützt (sekundär), damit sich der Wert nicht aus dem Kreiswert errechnen lässt.',
          attribution: { boundaries: this.boundaries.boundaries.attribution },
        },
        null,
        2,
      ),
    });
    const zip = Buffer.from(zipFiles(files));
    const etag = `"${createHash('sha256').update(zip).digest('base64url').slice(0, 32)}"`;
    reply
      .header('ETag', etag)
      .header('Cache-Control', asked.cacheControl())
      .header('Content-Disposition', 'attachment; filename="sozialmonitor-kreis-pinneberg.zip"');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.status(200).header('Content-Type', 'application/zip').send(zip);
  }
}
