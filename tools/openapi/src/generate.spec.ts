import { execFile } from 'node:child_process';
import { join } from 'node:path';
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
});
