import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { formatDay, resolvePeriod, tryParseDay } from '@sozialmonitor/indicators';
import { CatalogueService } from '../application/catalogue.service';
import { Clock } from '@sozialmonitor/platform';
import { LakeEngine } from '../application/lake-engine';
import { computeIndicatorValues } from '../domain/indicator-value-calculator';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';

/**
 * Internal API for the publication service: values of any Stichtag, computed on demand from the lake
 * and disclosure-controlled like the published ones (state and Germany comparisons exist for year
 * periods only, so they are null here). Role checks (analyst for arbitrary dates) are the
 * publication service's; this port is not exposed outside the system.
 */
@ApiTags('indicators')
@Controller('internal/v1/indicators')
export class IndicatorValuesController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly lake: LakeEngine,
    private readonly clock: Clock,
    private readonly env: KpiCalculationEnvironment,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The catalogue in use: id, version, status of every indicator' })
  list(): Array<{ id: string; version: number; status: string; unit: string }> {
    const c = this.catalogue.current;
    return c.allIds().map((id) => {
      const d = c.current(id)!;
      return { id, version: d.version, status: d.status, unit: d.unit };
    });
  }

  @Get(':id/values')
  @ApiOperation({ summary: 'Every municipality and the county at a Stichtag (KpiValuePayload[], period = the date)' })
  @ApiParam({ name: 'id', description: 'indicator id of the catalogue' })
  @ApiQuery({ name: 'date', description: 'YYYY-MM-DD, or today' })
  @ApiOkResponse({ description: 'disclosure-controlled values' })
  values(@Param('id') id: string, @Query('date') date?: string): KpiValuePayload[] {
    const indicator = this.catalogue.current.current(id);
    if (!indicator) throw new NotFoundException(`unknown indicator ${id}`);
    const day = date === 'today' ? this.clock.today() : tryParseDay(date);
    if (day === null) throw new BadRequestException('date must be a calendar date YYYY-MM-DD or today');
    if (!this.lake.ready) throw new ServiceUnavailableException('the lake is still loading');
    const period = resolvePeriod(formatDay(day));
    return computeIndicatorValues(this.lake.engine, indicator, period, {
      threshold: this.env.SUPPRESSION_THRESHOLD,
      computedAt: this.clock.now().toISOString(),
    }).map((v) => v.payload);
  }
}
