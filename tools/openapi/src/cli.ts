/**
 * npm run openapi — writes each HTTP service's OpenAPI document (docs/openapi/<service>.json) and the
 * TypeScript types generated from it (libs/contracts/src/http/<service>.openapi.ts). Starts nothing:
 * the documents come from the Nest modules in preview mode (tools/openapi/src/documents.ts).
 *
 *   npm run openapi             write the files
 *   npm run openapi -- --check  only report files that are out of date (exit 1)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { generatedFiles, ROOT, staleFiles } from './generate';

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    for (const path of stale) process.stderr.write(`out of date: ${relative(ROOT, path)} (run npm run openapi)\n`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const file of await generatedFiles()) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
    process.stdout.write(`wrote ${relative(ROOT, file.path)}\n`);
  }
  process.exit(0);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
