import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '@app/app.module';
import { createOpenApiDocument } from '@app/common/http/openapi-docs';
import { loadConfig } from '@app/config/load-config';

/**
 * The service's OpenAPI document without a database: the app module is created in Nest's preview
 * mode, which resolves the module graph but instantiates no provider (no connection, no queue),
 * and the document only reads the controllers' and DTOs' metadata.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crashbridge-openapi-'));
  try {
    // The configuration only shapes the providers, which preview mode never creates; the URL is never dialled.
    const config = loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: 'openapi-document-only-0123456789', DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    const module = AppModule.forRoot({ config, databaseUrl: config.databaseUrl!, poolSize: 1 });
    const app = await NestFactory.create<NestExpressApplication>(module, { preview: true, logger: false, bodyParser: false });
    try {
      return createOpenApiDocument(app);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
