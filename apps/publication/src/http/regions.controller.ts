import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { problem } from '@sozialmonitor/platform';
import { computedRegions } from '@sozialmonitor/regions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Catalogue } from '@sozialmonitor/indicators/catalogue';
import { type Records, ValueReader } from '../application/value-reader';
import { parseProfileQuery, type RawQuery } from '../domain/query-parameters';
import { regionView, valueView } from '../domain/value-record';
import { PeriodRequests } from './period-request';
import { CACHE_CONTROL, echo, respond } from './responder';
import {
  ApiCachedRead,
  ApiPeriodQueryProblems,
  ApiStichtagQuery,
  PROFILE_SCHEMA,
  REGION_CODES,
  REGIONS_SCHEMA,
  YEAR_PARAMETER_SCHEMA,
} from './openapi-schemas';
import { regionsCsv, valuesCsv } from './views';

const REGIONS = computedRegions();
const COMPUTED = new Set(REGIONS.map((r) => r.code));

@ApiTags('regions')
@Controller('api/v1/regions')
export class RegionsController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly reader: ValueReader,
    private readonly periods: PeriodRequests,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The municipalities of Kreis Pinneberg and the county: code, name, level, parent' })
  @ApiCachedRead(REGIONS_SCHEMA, { csv: true })
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return respond(request, reply, {
      json: { regions: REGIONS },
      csv: () => regionsCsv(REGIONS),
      cacheControl: CACHE_CONTROL.reference,
    });
  }

  @Get(':code/profile')
  @ApiOperation({
    summary: 'Every indicator for one region and period (`year`, default the last completed year, or `date`)',
    description:
      'Either `year` or `date`, not both (400). `year` is not after this year and `date` not in the future (400). Anonymous ' +
      'readers get years, year and month ends and today; another date needs a token with the `analyst` role (401 without a ' +
      'valid token, 403 without the role). `asOf` (the values as published then) applies to years, year ends and today, not to ' +
      'other dates (400). Unknown query parameters are a 400.',
  })
  @ApiParam({ name: 'code', schema: { type: 'string', enum: REGION_CODES }, example: '01056015' })
  @ApiQuery({ name: 'year', required: false, schema: YEAR_PARAMETER_SCHEMA, example: 2024 })
  @ApiStichtagQuery()
  @ApiCachedRead(PROFILE_SCHEMA, { csv: true })
  @ApiPeriodQueryProblems('Unknown region (or the state / Germany, which have no profile)')
  async profile(
    @Param('code') code: string,
    @Query() query: RawQuery,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (!COMPUTED.has(code))
      throw problem(
        404,
        'Not Found',
        `region ${echo(code)} is neither a municipality of Kreis Pinneberg nor the county`,
      );
    const asked = this.periods.ask(parseProfileQuery, query, authorization);
    const { selection, asOf } = asked.query;
    let result: Records;
    let label: string;
    if (selection.kind === 'on-demand') {
      result = await this.reader.onDemandProfile(code, selection.date);
      label = selection.date;
    } else {
      const { stored } = selection.periods[0];
      label = selection.periods[0].label;
      result = asOf ? await this.reader.asOfProfile(code, stored, asOf) : await this.reader.storedProfile(code, stored);
    }
    const entries = result.records.flatMap((r) => {
      const def = this.catalogue.current(r.indicatorId);
      return def ? [{ def, view: valueView(r, label) }] : [];
    });
    return respond(request, reply, {
      json: {
        region: regionView(code),
        period: label,
        ...(asOf ? { asOf } : {}),
        values: entries.map(({ def, view: { region: _r, period: _p, ...value } }) => ({
          indicator: { id: def.id, names: def.names, unit: def.unit, category: def.category, version: def.version },
          ...value,
        })),
      },
      csv: () => valuesCsv(entries.map(({ def, view }) => ({ indicatorId: def.id, unit: def.unit, view }))),
      cacheControl: asked.cacheControl(),
      cache: result.cache,
    });
  }
}
