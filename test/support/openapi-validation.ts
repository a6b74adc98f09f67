// Checks every answer the e2e suite receives from the service against the committed openapi.json
// (itself checked for staleness by test/unit/openapi-document.spec.ts), so the document cannot drift
// from the code. The test app installs the check on its HTTP server (watchResponses); the jest setup
// file openapi-validation.setup.ts fails the test during which a mismatch was seen.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { resolve } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}
interface Route {
  template: string;
  pattern: RegExp;
  params: number;
  operations: Record<string, Operation>;
}

/** Not API routes: the settings UI (HTML) and the document's own pages. */
const UNDOCUMENTED_PREFIXES = /^\/(ui|docs)(\/|-|$)/;
const DOCUMENT_ID = 'openapi.json';
const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorResponseDto' };

const violations: string[] = [];
let loaded: { routes: Route[]; ajv: Ajv; compiled: Map<string, ValidateFunction> } | undefined;

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable: true` becomes "or null", and references to
 * components point into the document registered under DOCUMENT_ID. Other OpenAPI-only keywords
 * (example, readOnly...) are annotations ajv ignores with strict: false.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/components\/schemas\//, `${DOCUMENT_ID}#/$defs/`) : toJsonSchema(v);
  }
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const doc = JSON.parse(readFileSync(resolve(__dirname, '..', '..', DOCUMENT_ID), 'utf8')) as Document;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, $defs: toJsonSchema(doc.components.schemas) as object });
  const routes = Object.entries(doc.paths).map(([template, operations]) => {
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return { template, pattern: new RegExp(`^${source}$`), params: (template.match(/\{/g) ?? []).length, operations };
  });
  // A literal segment wins over a parameter in the same place (as the routers mount them).
  routes.sort((a, b) => a.params - b.params);
  return (loaded = { routes, ajv, compiled: new Map() });
}

function validator(key: string, schema: object): ValidateFunction {
  const { ajv, compiled } = load();
  let fn = compiled.get(key);
  if (!fn) compiled.set(key, (fn = ajv.compile(toJsonSchema(schema) as object)));
  return fn;
}

function check(method: string, url: string, status: number, contentType: string, body: Buffer): string | undefined {
  // Express's routing is not strict: /api/v1/projects/ is /api/v1/projects.
  const path = url.split('?')[0].replace(/(.)\/$/, '$1');
  if (UNDOCUMENTED_PREFIXES.test(path)) return undefined;
  const route = load().routes.find((r) => r.pattern.test(path));
  const operation = route?.operations[method.toLowerCase()];
  if (!route || !operation) {
    // Not a route of the service: only Nest's JSON 404 (or 405) is a valid answer.
    if (status !== 404 && status !== 405) return `no documented operation answers ${status}`;
    return validateBody(`unrouted ${status}`, ERROR_SCHEMA, contentType, body);
  }
  const response = operation.responses[String(status)];
  if (!response) return `status ${status} is not documented for ${method} ${route.template}`;
  const mediaType = contentType.split(';')[0].trim();
  if (!response.content) return body.length === 0 ? undefined : `a ${mediaType || 'typeless'} body is not documented for ${status}`;
  const media = response.content[mediaType];
  if (!media) return `content type '${mediaType}' is not documented for ${status} (documented: ${Object.keys(response.content).join(', ')})`;
  if (mediaType !== 'application/json' || !media.schema) return undefined;
  return validateBody(`${method} ${route.template} ${status}`, media.schema, contentType, body);
}

function validateBody(key: string, schema: object, contentType: string, body: Buffer): string | undefined {
  if (!contentType.startsWith('application/json')) return `expected a JSON body, got '${contentType}'`;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the body is not JSON';
  }
  const validate = validator(key, schema);
  if (validate(value)) return undefined;
  const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  return `body does not match the schema: ${errors.join('; ')}; body: ${body.toString('utf8').slice(0, 300)}`;
}

/** Keeps what the response writes, to check it once it is finished. */
function track(req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => (keep(args[0], args[1]), write(...args))) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => (keep(args[0], args[1]), end(...args))) as ServerResponse['end'];
  res.once('finish', () => {
    if (method === 'HEAD') return;
    const contentType = String(res.getHeader('content-type') ?? '');
    let problem: string | undefined;
    try {
      problem = check(method, url, res.statusCode, contentType, Buffer.concat(chunks));
    } catch (err) {
      problem = `could not be checked: ${(err as Error).message}`;
    }
    if (problem) violations.push(`${method} ${url} → ${res.statusCode}: ${problem}`);
  });
}

/** Checks every answer of the app's HTTP server against openapi.json (installed ahead of Express's own listener). */
export function watchResponses(app: INestApplicationContext): void {
  const server = (app as Partial<INestApplication>).getHttpServer?.() as Server | undefined;
  server?.prependListener('request', track); // a worker (ROLE=worker) serves no API to check
}

/** Throws, listing them, when answers did not match the document since the last call. */
export function assertResponsesDocumented(): void {
  if (violations.length === 0) return;
  const found = violations.splice(0);
  throw new Error(`${found.length} answer(s) do not match openapi.json (fix the route's @Api* decorators or DTOs, then npm run openapi):\n  ${found.join('\n  ')}`);
}
