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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { CatalogueTimeline } from '../application/ports/catalogue-timeline';
import { type Records, ValueReader } from '../application/value-reader';
import { parseValuesQuery, type RawQuery } from '../domain/query-parameters';
import { valueView } from '../domain/value-record';
import { PeriodRequests } from './period-request';
import { CACHE_CONTROL, echo, respond } from './responder';
import { breaksWithin, indicatorsCsv, indicatorView, valuesCsv } from './views';

const NOTE = { type: 'object', properties: { de: { type: 'string' }, en: { type: 'string' } } };
const NULLABLE_NUMBER = { type: 'number', nullable: true };

/** The answer of GET /api/v1/indicators/{id}/values (api.md, plus versions, classes and breaks). */
const VALUES_SCHEMA = {
  type: 'object',
  required: ['indicator', 'values'],
  properties: {
    indicator: {
      type: 'object',
      properties: {
        id: { type: 'string', example: 'births_per_1000' },
        unit: { type: 'string', example: '‰' },
        version: { type: 'integer', description: 'the definition in use (with asOf: the one active then)' },
        status: { type: 'string', enum: ['retired'], description: 'only for a retired indicator' },
        breaks: {
          type: 'array',
          description: 'breaks in the series between the answered years: values from `year` on are not comparable with earlier ones',
          items: { type: 'object', properties: { year: { type: 'integer', example: 2022 }, note: NOTE } },
        },
      },
    },
    asOf: { type: 'string', format: 'date-time' },
    values: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          region: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, level: { type: 'string' } } },
          period: { type: 'string', example: '2023' },
          value: NULLABLE_NUMBER,
          suppressed: { type: 'boolean' },
          reason: { type: 'string', enum: ['primary', 'secondary', 'denominator_zero', 'no_data'] },
          comparison: {
            type: 'object',
            properties: { county: NULLABLE_NUMBER, state: NULLABLE_NUMBER, germany: NULLABLE_NUMBER },
          },
          revised: { type: 'boolean' },
          indicatorVersion: { type: 'integer', description: 'the indicator version the value was computed with' },
          class: { type: 'string', example: 'low', description: 'a composite index: the id of its class (catalogue entry index.classes)' },
          break: { ...NOTE, description: 'the note of a break in the series in this year' },
        },
      },
    },
  },
};

@ApiTags('indicators')
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly versions: CatalogueTimeline,
    private readonly reader: ValueReader,
    private readonly periods: PeriodRequests,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The indicator catalogue (active and retired indicators, each in its current version)' })
  @ApiProduces('application/json', 'text/csv')
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const defs = this.catalogue.allIds().map((id) => this.catalogue.current(id)!);
    return respond(request, reply, {
      json: { catalogueVersion: this.catalogue.catalogueVersion, indicators: defs.map(indicatorView) },
      csv: () => indicatorsCsv(defs),
      cacheControl: CACHE_CONTROL.catalogue,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One catalogue entry' })
  @ApiResponse({ status: 404, description: 'unknown indicator id' })
  one(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return respond(request, reply, { json: indicatorView(this.definition(id)), cacheControl: CACHE_CONTROL.catalogue });
  }

  @Get(':id/values')
  @ApiOperation({
    summary: 'Values of one indicator',
    description:
      'Years `from`…`to` (default FIRST_YEAR … the last completed year) or one Stichtag `date` (YYYY-MM-DD or `today`); ' +
      '`asOf` answers as published at that moment, with the catalogue version active then (also for an indicator retired since). ' +
      'Anonymous readers get years, month-end Stichtage and today; other dates need a token with the `analyst` role. ' +
      'Every value carries the `indicatorVersion` it was computed with (and a composite index its `class`); ' +
      '`indicator.breaks` lists the breaks in the series between the answered periods ({ year, note: { de, en } }: values from that year on are not comparable with earlier ones), ' +
      'and a value of a break year carries its `break`.',
  })
  @ApiParam({ name: 'id', example: 'births_per_1000' })
  @ApiQuery({
    name: 'region',
    required: false,
    isArray: true,
    description: 'AGS of a municipality or 01056 (repeatable; default all municipalities and the county)',
  })
  @ApiQuery({ name: 'from', required: false, example: 2020 })
  @ApiQuery({ name: 'to', required: false, example: 2024 })
  @ApiQuery({ name: 'date', required: false, example: '2024-06-30' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-01-31T12:00:00Z' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiBearerAuth()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ schema: VALUES_SCHEMA })
  @ApiResponse({ status: 400, description: 'a bad parameter (named in the problem)' })
  @ApiResponse({ status: 401, description: 'a date that needs the analyst role, without a valid token' })
  @ApiResponse({ status: 403, description: 'a date that needs the analyst role, token without it' })
  @ApiResponse({ status: 404, description: 'unknown indicator id' })
  async values(
    @Param('id') id: string,
    @Query() query: RawQuery,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const asked = this.periods.ask(parseValuesQuery, query, authorization);
    const { regions, selection, asOf } = asked.query;
    const def = this.definition(id, asOf);
    const wanted = new Set(regions);
    let result: Records;
    let labelOf: (period: string) => string;
    if (selection.kind === 'on-demand') {
      result = await this.reader.onDemandValues(def.id, selection.date, wanted);
      labelOf = () => selection.date;
    } else {
      const periods = selection.periods.map((p) => p.stored);
      const labels = new Map(selection.periods.map((p) => [p.stored, p.label]));
      result = asOf
        ? await this.reader.asOfValues(def.id, periods, wanted, asOf)
        : await this.reader.storedValues(def.id, periods, wanted);
      labelOf = (period) => labels.get(period) ?? period;
    }
    const breakOf = new Map(def.breaks.map((b) => [String(b.year), b]));
    const views = result.records.map((r) => {
      const view = valueView(r, labelOf(r.period));
      const b = breakOf.get(r.period);
      return b ? { ...view, break: b.note } : view;
    });
    const periods = selection.kind === 'on-demand' ? [selection.date] : selection.periods.map((p) => p.stored);
    return respond(request, reply, {
      json: {
        indicator: {
          id: def.id,
          unit: def.unit,
          version: def.version,
          ...(def.status === 'retired' ? { status: def.status } : {}),
          breaks: breaksWithin(def, periods),
        },
        ...(asOf ? { asOf } : {}),
        values: views,
      },
      csv: () => valuesCsv(views.map((view) => ({ indicatorId: def.id, unit: def.unit, view }))),
      cacheControl: asked.cacheControl(),
      cache: result.cache,
    });
  }

  /** The definition in use, or the one active at `asOf` (an indicator retired or rolled back since included). */
  private definition(id: string, asOf?: string) {
    const def = (asOf ? this.versions.at(asOf).current(id) : undefined) ?? this.catalogue.current(id);
    if (!def) throw problem(404, 'Not Found', `indicator ${echo(id)} is not in the catalogue`);
    return def;
  }
}
