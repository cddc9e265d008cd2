import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sozialmonitor/platform';
import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { formatDay, resolvePeriod, tryParseDay } from '@sozialmonitor/indicators';
import { problem } from '@sozialmonitor/platform';
import { RequireRole } from '@sozialmonitor/platform/auth';
import { CatalogueService } from '../application/catalogue.service';
import { Clock } from '@sozialmonitor/platform';
import { Holds } from '../application/holds';
import { CatalogueLog } from '../application/ports/catalogue-log';
import { LakeEngine } from '../application/lake-engine';
import { OnDemandBusyError, OnDemandGate } from '../application/on-demand-gate';
import { computeIndicatorValues } from '../domain/indicator-value-calculator';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import { CATALOGUE_ENTRY_SCHEMA, KPI_VALUE_SCHEMA } from './openapi-schemas';

/**
 * Internal API for the publication service: values of any Stichtag up to today, computed on demand from
 * the lake and disclosure-controlled like the published ones (state and Germany comparisons exist for
 * year periods only, so they are null here). It answers exact values of any day, so it needs a token
 * with the role `internal` (api.md; publication sends KPI_CALCULATION_TOKEN) — whoever reaches the port
 * must not get around the analyst rule by differencing consecutive days. Days after today are refused
 * (nothing is known about them, and a future date would be a free whole-county computation). The work is
 * bounded by OnDemandGate: one computation at a time, a few waiting, more answered 503 + Retry-After.
 */
@ApiTags('indicators')
@RequireRole('internal', 'internal values of any day')
@Controller('internal/v1/indicators')
export class IndicatorValuesController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly lake: LakeEngine,
    private readonly clock: Clock,
    private readonly env: KpiCalculationEnvironment,
    private readonly gate: OnDemandGate,
    private readonly holds: Holds,
    private readonly versions: CatalogueLog,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The catalogue in use: id, version, status of every indicator' })
  @ApiOkResponse({ schema: { type: 'array', items: CATALOGUE_ENTRY_SCHEMA } })
  list(): Array<{ id: string; version: number; status: string; unit: string }> {
    const c = this.catalogue.current;
    return c.allIds().map((id) => {
      const d = c.current(id)!;
      return { id, version: d.version, status: d.status, unit: d.unit };
    });
  }

  @Get(':id/values')
  @ApiOperation({ summary: 'Every municipality and the county at a Stichtag (KpiValuePayload[], period = the date)' })
  @ApiParam({ name: 'id', description: 'indicator id of the catalogue', schema: { type: 'string', example: 'births_per_1000' } })
  @ApiQuery({
    name: 'date',
    required: true,
    description: 'A calendar date YYYY-MM-DD, or today',
    schema: { anyOf: [{ type: 'string', format: 'date' }, { type: 'string', enum: ['today'] }], example: '2024-06-30' },
  })
  @ApiOkResponse({ description: 'disclosure-controlled values (none for a day of a year held until its release; an indicator a held catalogue version brings: as the version before defined it, none when new)', schema: { type: 'array', items: KPI_VALUE_SCHEMA } })
  @ApiProblems({
    400: 'date is missing, not a calendar date, or after today',
    404: 'Unknown indicator id',
    503: 'The lake is still loading, or too many requests wait: try again shortly (Retry-After)',
  })
  async values(@Param('id') id: string, @Query('date') date?: string): Promise<KpiValuePayload[]> {
    let indicator = this.catalogue.current.current(id);
    if (!indicator) throw problem(404, 'Not Found', 'unknown indicator');
    const today = this.clock.today();
    const day = date === 'today' ? today : tryParseDay(date);
    const invalid = (detail: string) =>
      problem(400, 'Invalid parameter', detail, { errors: [{ parameter: 'date', message: detail }] });
    if (day === null) throw invalid('date must be a calendar date YYYY-MM-DD or today');
    if (day > today) throw invalid(`date must not be after today (${formatDay(today)})`);
    if (!this.lake.ready) throw problem(503, 'Service Unavailable', 'the lake is still loading', { retryAfter: 5 });
    const period = resolvePeriod(formatDay(day));
    // A day of a held year is as held as the year (issue #17): nothing of it leaves before the release.
    const holds = await this.holds.refresh();
    if (holds.holds(formatDay(day).slice(0, 4))) return [];
    // An indicator a held catalogue version brings answers as the version before it defined it (what the
    // public sees until the release), and nothing when it is new.
    if (holds.holdsValue({ indicatorId: id, period: formatDay(day) })) {
      const basedOn = this.versions.history().get(holds.heldCatalogue()?.catalogueVersion ?? 0)?.basedOn;
      indicator = basedOn ? this.versions.history().get(basedOn)?.catalogue.current(id) : undefined;
      if (!indicator) return [];
    }
    try {
      return await this.gate.run(() =>
        computeIndicatorValues(this.lake.engine, indicator, period, {
          threshold: this.env.SUPPRESSION_THRESHOLD,
          computedAt: this.clock.now().toISOString(),
        }).map((v) => v.payload),
      );
    } catch (e) {
      if (e instanceof OnDemandBusyError)
        throw problem(503, 'Service Unavailable', 'too many on-demand computations are waiting', { retryAfter: 1 });
      throw e;
    }
  }
}
