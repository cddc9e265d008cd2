/** Where the demo finds the running services (the stack's ports, or the environment's). */
export interface DemoEndpoints {
  ingestion: string;
  publication: string;
  admin: Record<'anonymization' | 'kpi-calculation' | 'publication', string>;
}

export function endpoints(env = process.env): DemoEndpoints {
  const url = (port: string | undefined, fallback: number) => `http://127.0.0.1:${port ?? fallback}`;
  return {
    ingestion: url(env.INGESTION_PORT, 3001),
    publication: url(env.PUBLICATION_PORT, 3000),
    admin: {
      anonymization: url(env.ANONYMIZATION_PORT, 3002),
      'kpi-calculation': url(env.KPI_CALCULATION_PORT, 3003),
      publication: url(env.PUBLICATION_PORT, 3000),
    },
  };
}
