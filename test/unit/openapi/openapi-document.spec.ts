import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from '@app/cli/openapi-document';
import { serializeOpenApi } from '@app/common/http/openapi-docs';

/** The first line where the two texts differ, with its number, to say what changed. */
function firstDifference(committed: string, current: string): string {
  const a = committed.split('\n');
  const b = current.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '<end>')}, current ${JSON.stringify(b[at] ?? '<end>')}`;
}

describe('openapi.json', () => {
  it('is the document the code gives (else: run npm run openapi and commit it)', async () => {
    const committed = readFileSync(resolve(__dirname, '..', '..', '..', 'openapi.json'), 'utf8');
    const current = serializeOpenApi(await buildOpenApiDocument());
    if (current !== committed) {
      throw new Error(`openapi.json is stale: run npm run openapi and commit the result (${firstDifference(committed, current)})`);
    }
  });
});
