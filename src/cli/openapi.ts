import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serializeOpenApi } from '@app/common/http/openapi-docs';
import { buildOpenApiDocument } from './openapi-document';

/** Entry point of `npm run openapi`: writes openapi.json at the repository root (test/unit/openapi-document.spec.ts checks it is current). */
async function main(): Promise<void> {
  const path = resolve(__dirname, '..', '..', 'openapi.json');
  writeFileSync(path, serializeOpenApi(await buildOpenApiDocument()));
  process.stdout.write(`wrote ${path}\n`);
}

main().catch((err) => {
  process.stderr.write(`openapi failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
