import { INestApplication, Logger, LoggerService } from '@nestjs/common';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ErrorResponseDto } from '@app/common/errors/error-response.dto';

/** /docs (the page), /docs-json and /docs-yaml. */
const DOCS_PATHS = /^\/docs(-json|-yaml)?(\/|$)/;

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
