import { IntersectionType } from '@nestjs/mapped-types';
import { IndicatorEnvironment, KafkaEnvironment, MongoEnvironment, Port } from '@sozialmonitor/config';

/** The kpi-calculation service's configuration (operations.md); validated at start. */
export class KpiCalculationEnvironment extends IntersectionType(KafkaEnvironment, MongoEnvironment, IndicatorEnvironment) {
  @Port()
  KPI_CALCULATION_PORT: number = 3003;
}
