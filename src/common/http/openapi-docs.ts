import { INestApplication, Logger, LoggerService } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ErrorResponseDto } from '@app/common/errors/error-response.dto';
import { withErrorResponses } from './openapi-errors';

/** /docs (the page), /docs-json and /docs-yaml. */
const DOCS_PATHS = /^\/docs(-json|-yaml)?(\/|$)/;

/**
 * The OpenAPI document of the app's routes, direct routes included (they keep their Nest route
 * decorators). Reads only route and DTO metadata, so an app created in preview mode (no provider
 * instantiated, no database) gives the same document as the running service: npm run openapi.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('crashbridge')
    .setDescription('Error tracker ⇄ Jira bridge: projects, error groups, Jira integration')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  return withErrorResponses(SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] }));
}

/** The document as committed in openapi.json: keys sorted at every level, two-space indent, final newline. */
export function serializeOpenApi(document: OpenAPIObject): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sorted(v)]));
  };
  return `${JSON.stringify(sorted(document), null, 2)}\n`;
}

/**
 * Serves the OpenAPI document at /docs and /docs-json. It is built on the first request and
 * kept, and so is a failure to build it: that is logged once, as one line without a stack,
 * and every docs request answers 503 DOCS_UNAVAILABLE instead of rebuilding and failing again.
 */
export function serveOpenApi(app: INestApplication, build: () => OpenAPIObject, logger: LoggerService = new Logger('OpenAPI')): void {
  let built: { document: OpenAPIObject } | { error: string } | undefined;
  const get = () => {
    if (!built) {
      try {
        built = { document: build() };
      } catch (err) {
        built = { error: err instanceof Error ? err.message : String(err) };
        logger.error(`the OpenAPI document could not be built: ${built.error}`);
      }
    }
    return built;
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!DOCS_PATHS.test(req.path) || 'document' in get()) return next();
    const body: ErrorResponseDto = {
      statusCode: 503, error: 'Service Unavailable', code: 'DOCS_UNAVAILABLE',
      message: ['the API description could not be built; the service log says why'],
    };
    res.status(503).json(body);
  });
  SwaggerModule.setup('docs', app, () => (get() as { document: OpenAPIObject }).document, { jsonDocumentUrl: 'docs-json' });
}
