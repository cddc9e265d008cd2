import { AnonymizationEnvironment } from '../apps/anonymization/src/anonymization.environment';
import { IngestionEnvironment } from '../apps/ingestion/src/ingestion.environment';
import { KpiCalculationEnvironment } from '../apps/kpi-calculation/src/kpi-calculation.environment';
import { PublicationEnvironment } from '../apps/publication/src/publication.environment';

/** The four services with their environment class and port, for the tests of the deployment files. */
export const SERVICES = [
  { name: 'ingestion', schema: IngestionEnvironment, portVariable: 'INGESTION_PORT', port: 3001 },
  { name: 'anonymization', schema: AnonymizationEnvironment, portVariable: 'ANONYMIZATION_PORT', port: 3002 },
  { name: 'kpi-calculation', schema: KpiCalculationEnvironment, portVariable: 'KPI_CALCULATION_PORT', port: 3003 },
  { name: 'publication', schema: PublicationEnvironment, portVariable: 'PUBLICATION_PORT', port: 3000 },
] as const;
