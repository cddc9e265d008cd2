import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiProblems, problem } from '@sozialmonitor/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Catalogue, type IndicatorDefinition } from '@sozialmonitor/indicators/catalogue';
import { CatalogueTimeline } from '../application/ports/catalogue-timeline';
import { type Records, ValueReader } from '../application/value-reader';
import { parseValuesQuery, type RawQuery, type ValuesQuery } from '../domain/query-parameters';
import { valueView } from '../domain/value-record';
import { type PeriodRequest, PeriodRequests } from './period-request';
import { PreparedAnswers } from './prepared-answers';
import { CACHE_CONTROL, echo, type Representation, respond, respondPrepared } from './responder';
import {
  ApiCachedRead,
  ApiPeriodQueryProblems,
  ApiStichtagQuery,
  CATALOGUE_SCHEMA,
  INDICATOR_PATH_ID_SCHEMA,
  INDICATOR_SCHEMA,
  REGION_CODES,
  VALUES_SCHEMA,
  YEAR_PARAMETER_SCHEMA,
} from './openapi-schemas';
import { breaksWithin, indicatorsCsv, indicatorView, valuesCsv } from './views';

@ApiTags('indicators')
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly versions: CatalogueTimeline,
    private readonly reader: ValueReader,
    private readonly periods: PeriodRequests,
    private readonly prepared: PreparedAnswers,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The indicator catalogue (active and retired indicators, each in its current version)' })
  @ApiCachedRead(CATALOGUE_SCHEMA, { csv: true })
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
  @ApiParam({ name: 'id', schema: INDICATOR_PATH_ID_SCHEMA })
  @ApiCachedRead(INDICATOR_SCHEMA)
  @ApiProblems({ 404: 'Unknown indicator id' })
  one(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return respond(request, reply, { json: indicatorView(this.definition(id)), cacheControl: CACHE_CONTROL.catalogue });
  }

  @Get(':id/values')
  @ApiOperation({
    summary: 'Values of one indicator',
    description:
      'Years `from`…`to` (default FIRST_YEAR … the last completed year; `from` not after `to`, neither after this year) or one ' +
      'Stichtag `date` (YYYY-MM-DD, not in the future, or `today`) — `date` together with `from`/`to` is a 400. `asOf` answers as ' +
      'published at that moment; it applies to years, year ends and today, not to other dates (400). Anonymous readers get years, ' +
      'month-end Stichtage and today; other dates need a token with the `analyst` role (401 without a valid token, 403 without ' +
      'the role). Unknown query parameters are a 400. `asOf` answers with the catalogue version active then (also for an indicator ' +
      'retired since). Every value carries the `indicatorVersion` it was computed with (a composite index also its `class`); ' +
      '`indicator.breaks` lists the breaks in the series between the answered periods, and a value of a break year carries its `break`.',
  })
  @ApiParam({ name: 'id', schema: INDICATOR_PATH_ID_SCHEMA })
  @ApiQuery({
    name: 'region',
    required: false,
    isArray: true,
    schema: { type: 'array', items: { type: 'string', enum: REGION_CODES } },
    style: 'form',
    explode: true,
    description: 'AGS of a municipality or 01056 (repeatable, or comma-separated; default all municipalities and the county)',
  })
  @ApiQuery({ name: 'from', required: false, schema: YEAR_PARAMETER_SCHEMA, example: 2020 })
  @ApiQuery({ name: 'to', required: false, schema: YEAR_PARAMETER_SCHEMA, example: 2024 })
  @ApiStichtagQuery()
  @ApiCachedRead(VALUES_SCHEMA, { csv: true })
  @ApiPeriodQueryProblems('Unknown indicator id')
  async values(
    @Param('id') id: string,
    @Query() query: RawQuery,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const asked = this.periods.ask(parseValuesQuery, query, authorization);
    const { selection, asOf } = asked.query;
    const def = this.definition(id, asOf);
    // Stored periods for an anonymous reader: the same values version and request, the same bytes.
    const version =
      selection.kind !== 'on-demand' && !asOf && !authorization
        ? await this.reader.storedVersion(def.id, selection.periods.map((p) => p.stored))
        : null;
    const key =
      version === null || selection.kind === 'on-demand'
        ? null
        : [request.url, this.catalogue.catalogueVersion, def.version, version, asked.cacheControl(), ...selection.periods.map((p) => p.label)].join('\u0000');
    return respondPrepared(request, reply, this.prepared, key, () => this.valuesAnswer(def, asked));
  }

  private async valuesAnswer(def: IndicatorDefinition, asked: PeriodRequest<ValuesQuery>): Promise<Representation> {
    const { regions, selection, asOf } = asked.query;
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
    return {
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
    };
  }

  /** The definition in use, or the one active at `asOf` (an indicator retired or rolled back since included). */
  private definition(id: string, asOf?: string) {
    const def = (asOf ? this.versions.at(asOf).current(id) : undefined) ?? this.catalogue.current(id);
    if (!def) throw problem(404, 'Not Found', `indicator ${echo(id)} is not in the catalogue`);
    return def;
  }
}
