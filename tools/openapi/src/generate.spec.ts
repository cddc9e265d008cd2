import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { resolveResponse } from '@sozialmonitor/platform/openapi';
import { HTTP_SERVICES, openApiDocumentOf } from './documents';

const root = join(__dirname, '../../..');

/**
 * The committed OpenAPI documents and generated client types are what the sources produce: a changed
 * decorator without `npm run openapi` fails here (and `npm run lint` regenerates them before tsc, so a
 * client reading a renamed field fails to compile). The conformance test checks that the running services
 * serve these very documents.
 */
describe('npm run openapi', () => {
  it('has written the current documents and types of every HTTP service', async () => {
    // As its own process: openapi-typescript loads ES modules, which jest's CommonJS runtime cannot.
    const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(root, 'tools/run-ts.js'), join(root, 'tools/openapi/src/cli.ts'), '--check'],
        (error, _out, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      ),
    );
    expect(result).toEqual({ code: 0, stderr: '' });
  }, 120_000);

  it('documents the problem schema, the bearer scheme and optional authentication of public reads', async () => {
    const document = await openApiDocumentOf('publication');
    expect(document.components?.schemas?.Problem).toMatchObject({ required: ['type', 'title', 'status'] });
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    // A token only widens access (the analyst's dates): anonymous or bearer.
    expect(document.paths['/api/v1/indicators/{id}/values'].get?.security).toEqual([{}, { bearer: [] }]);
    expect(HTTP_SERVICES).toHaveLength(4);
  }, 120_000);

  it('gives a delivery a schema per media type and every operation with a path parameter its 414', async () => {
    const document = await openApiDocumentOf('ingestion');
    const deliver = document.paths['/api/v1/sources/{source}/records'].post!;
    expect(Object.keys((deliver.requestBody as { content: object }).content)).toEqual([
      'application/json',
      'application/x-ndjson',
      'text/csv',
    ]);
    expect(JSON.stringify(deliver)).not.toContain('x-sozialmonitor-request-content');
    expect(deliver.responses['414']).toBeDefined();
    expect(document.paths['/api/v1/sources'].get!.responses['414']).toBeUndefined();
  }, 120_000);

  it('declares a response several operations share once, under components/responses', async () => {
    const document = await openApiDocumentOf('anonymization');
    const groups = document.paths['/api/v1/admin/consumer-groups'].get!.responses;
    const replay = document.paths['/api/v1/admin/replays/{id}'].get!.responses;
    expect(groups['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
    expect(groups['403']).toEqual(replay['403']);
    expect(resolveResponse(document, groups['403']!).description).toBe("The token lacks the role 'admin'");
    // a description only one operation has stays with it
    expect(replay['404']).toMatchObject({ description: 'No replay with this id was started on this instance' });
  }, 120_000);
});
