/**
 * The HTTP answers of the services as TypeScript types, generated from their OpenAPI documents
 * (docs/openapi/*.json, `npm run openapi`). Clients type what they read with these: a field renamed in a
 * document then breaks the compile of every client still reading the old name.
 *
 *   type Values = JsonAnswer<PublicationPaths, '/api/v1/indicators/{id}/values'>;
 */
export type { paths as AnonymizationPaths } from './anonymization.openapi';
export type { paths as IngestionPaths } from './ingestion.openapi';
export type { paths as KpiCalculationPaths } from './kpi-calculation.openapi';
export type { paths as PublicationPaths } from './publication.openapi';
/** The admin endpoints (libs/platform AdminModule) are the same on every service that has them. */
export type { paths as AdminPaths } from './anonymization.openapi';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

/**
 * The JSON body of the answer `status` (default 200) of `method` (default GET) on `path`; `unknown` (so
 * that reading anything of it fails to compile) when the document has no such JSON answer.
 */
export type JsonAnswer<
  Paths,
  Path extends keyof Paths,
  M extends Method = 'get',
  Status extends number = 200,
> = Paths[Path] extends { [K in M]: { responses: { [S in Status]: { content: { 'application/json': infer Body } } } } }
  ? Body
  : unknown;

/** The JSON request body of `method` on `path`; `never` (nothing can be sent) when the document has none. */
export type JsonRequest<Paths, Path extends keyof Paths, M extends Method = 'post'> = Paths[Path] extends {
  [K in M]: { requestBody?: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;
