import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { problem } from '@sozialmonitor/platform';
import { COUNTY_CODE, MUNICIPALITIES } from '@sozialmonitor/regions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BoundariesRepository } from '../adapters/boundaries.repository';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { type Records, ValueReader } from '../application/value-reader';
import { buildChoropleth } from '../domain/choropleth';
import {
  CLASSIFICATION_METHODS,
  DEFAULT_CLASSES,
  DEFAULT_METHOD,
  MAX_CLASSES,
  MIN_CLASSES,
} from '../domain/class-breaks';
import { parseMapQuery } from '../domain/map-query';
import type { RawQuery } from '../domain/query-parameters';
import { valueView } from '../domain/value-record';
import { PeriodRequests } from './period-request';
import { echo, respond } from './responder';
import { valuesCsv } from './views';

const MUNICIPALITY_CODES = [...MUNICIPALITIES].map((m) => m.ags).sort();
const ALL_REGIONS = new Set([...MUNICIPALITY_CODES, COUNTY_CODE]);

@ApiTags('indicators')
@Controller('api/v1/indicators')
export class MapController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly reader: ValueReader,
    private readonly periods: PeriodRequests,
    private readonly boundaries: BoundariesRepository,
  ) {}

  @Get(':id/map')
  @ApiOperation({
    summary: 'Map-ready values of one indicator: a GeoJSON FeatureCollection of the 49 municipalities',
    description:
      'One period: `year` (default the last completed year) or `date` (YYYY-MM-DD or `today`; same rules as `/values`: ' +
      'other dates than year ends, month ends and today need the `analyst` role), `asOf` as published at that moment. ' +
      `Classes: \`classes\` = ${CLASSIFICATION_METHODS.join(' | ')} (default ${DEFAULT_METHOD}), \`k\` = ${MIN_CLASSES}…${MAX_CLASSES} (default ${DEFAULT_CLASSES}), ` +
      'computed from the values that are shown (suppressed and missing values take no part). Each feature: code, name, value ' +
      '(null when suppressed: a suppressed feature carries no number), suppressed, reason, class (0-based, null without value), revised. ' +
      'Top level: `classification.breaks` (ascending limits; class i holds breaks[i] < v <= breaks[i+1]), `comparison` (county, state, Germany) ' +
      'and `attribution` (the licence notice of the boundaries, to be shown with the map). Geometry in WGS84 (RFC 7946), rounded to 5 decimals. ' +
      '`Accept: text/csv` gives the values shown as CSV (the columns of `/values`).',
  })
  @ApiParam({ name: 'id', example: 'births_per_1000' })
  @ApiQuery({ name: 'year', required: false, example: 2023 })
  @ApiQuery({ name: 'date', required: false, example: '2024-06-30' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-01-31T12:00:00Z' })
  @ApiQuery({ name: 'classes', required: false, enum: CLASSIFICATION_METHODS })
  @ApiQuery({ name: 'k', required: false, example: DEFAULT_CLASSES })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiBearerAuth()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'GeoJSON FeatureCollection with classification, comparison and attribution' })
  @ApiResponse({ status: 400, description: 'a bad parameter (named in the problem)' })
  @ApiResponse({ status: 401, description: 'a date that needs the analyst role, without a valid token' })
  @ApiResponse({ status: 403, description: 'a date that needs the analyst role, token without it' })
  @ApiResponse({ status: 404, description: 'unknown indicator id' })
  async map(
    @Param('id') id: string,
    @Query() query: RawQuery,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const def = this.catalogue.current(id);
    if (!def) throw problem(404, 'Not Found', `indicator ${echo(id)} is not in the catalogue`);
    const asked = this.periods.ask(parseMapQuery, query, authorization);
    const { selection, asOf, method, k } = asked.query;
    let result: Records;
    let label: string;
    if (selection.kind === 'on-demand') {
      result = await this.reader.onDemandValues(def.id, selection.date, ALL_REGIONS);
      label = selection.date;
    } else {
      const { stored } = selection.periods[0];
      label = selection.periods[0].label;
      result = asOf
        ? await this.reader.asOfValues(def.id, [stored], ALL_REGIONS, asOf)
        : await this.reader.storedValues(def.id, [stored], ALL_REGIONS);
    }
    const map = buildChoropleth({
      indicator: { id: def.id, unit: def.unit, version: def.version, name: def.names.de },
      period: label,
      ...(asOf ? { asOf } : {}),
      records: result.records,
      municipalities: MUNICIPALITY_CODES,
      countyCode: COUNTY_CODE,
      boundaries: this.boundaries.boundaries,
      method,
      k,
    });
    return respond(request, reply, {
      json: map,
      csv: () =>
        valuesCsv(result.records.map((r) => ({ indicatorId: def.id, unit: def.unit, view: valueView(r, label) }))),
      cacheControl: asked.cacheControl(),
      cache: result.cache,
    });
  }
}
