import type { Server } from 'node:http';
import { INestApplicationContext, Logger, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AppConfig, runsHttp } from '@app/config/app-config';
import { AllExceptionsFilter } from '@app/common/http/all-exceptions.filter';
import { mountDirectRoutes } from '@app/common/http/direct-route';
import { ExpressHttpAdapter } from '@app/common/http/express-http-adapter';
import { BODY_LIMITS } from '@app/common/http/body-limits';
import { createOpenApiDocument, serveOpenApi } from '@app/common/http/openapi-docs';
import { ReadBodyGuard } from '@app/common/http/read-body.guard';
import { appValidationPipe } from '@app/common/validation/app-validation-pipe';
import { dataSourceOptions } from '@app/database/data-source-options';
import { EMBEDDED_POOL_SIZE, EmbeddedPostgres } from '@app/database/embedded-postgres';
import { runMigrationsLocked } from '@app/database/run-migrations';
import { AuthGuard } from '@app/modules/projects/auth/auth.guard';
import { configureUi } from '@app/modules/ui/configure-ui';

const PRODUCTION_POOL_SIZE = 20;

export interface RunningService {
  app: INestApplicationContext;
  /** Base URL of the HTTP server, when this role serves HTTP. */
  url?: string;
  /** Migrations this start applied (0: the schema was current). */
  migrationsApplied: number;
  stop(): Promise<void>;
}

/** Starts the embedded database when needed and migrates under a lock. */
async function prepareDatabase(config: AppConfig, log: Logger): Promise<{ url: string; poolSize: number; embedded?: EmbeddedPostgres; migrationsApplied: number }> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await EmbeddedPostgres.start(config.dataDir);
    url = embedded.url;
    log.log({ msg: 'embedded PostgreSQL (PGlite) started', dataDir: config.dataDir });
  }
  const ds = new DataSource(dataSourceOptions(url, 2));
  let applied: string[];
  try {
    await ds.initialize();
    applied = await runMigrationsLocked(ds);
    // The start-up line gives the count; the names are for whoever looks closer.
    if (applied.length > 0) log.debug({ msg: 'migrations applied', migrations: applied });
  } catch (err) {
    await embedded?.stop();
    throw err;
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
  return { url, poolSize: embedded ? EMBEDDED_POOL_SIZE : PRODUCTION_POOL_SIZE, embedded, migrationsApplied: applied.length };
}

function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  // One list of global guards, for Nest's routes and the direct routes (mounted first, ahead of everything else).
  const guards = [app.get(AuthGuard)];
  // No body parser ahead of the guards: Nest's routes read their body in a last guard, once
  // authenticated; the direct routes read theirs after the same guards, each with its limit.
  app.useGlobalGuards(...guards, new ReadBodyGuard(BODY_LIMITS.default));
  mountDirectRoutes(app, guards);
  app.set('trust proxy', config.trustProxy);
  app.useGlobalPipes(appValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.disable('x-powered-by');
  configureUi(app);
  serveOpenApi(app, () => createOpenApiDocument(app));
}

/**
 * Idle connections stay open `seconds` (Node announces it in `Keep-Alive: timeout=`). The wait for a request's
 * headers is kept a second longer, as is usual behind load balancers, so that it never ends a connection first.
 */
function keepConnectionsAlive(server: Server, seconds: number): void {
  server.keepAliveTimeout = seconds * 1000;
  server.headersTimeout = seconds * 1000 + 1000;
}

/**
 * Starts the service for its ROLE: HTTP (api/all) and job processing (worker/all).
 * Used by main.ts and by the e2e tests, so both run the same start-up path.
 */
export async function startService(config: AppConfig, logger: LoggerService): Promise<RunningService> {
  Logger.overrideLogger(logger);
  const log = new Logger('Bootstrap');
  const db = await prepareDatabase(config, log);
  const module = AppModule.forRoot({ config, databaseUrl: db.url, poolSize: db.poolSize });
  let app: INestApplicationContext;
  let url: string | undefined;
  try {
    if (runsHttp(config)) {
      const http = await NestFactory.create<NestExpressApplication>(module, new ExpressHttpAdapter(), { logger, rawBody: true, bodyParser: false });
      configureHttp(http, config);
      keepConnectionsAlive(http.getHttpServer(), config.httpKeepAliveSeconds);
      await http.listen(config.port);
      const address = http.getHttpServer().address() as { port: number };
      url = `http://127.0.0.1:${address.port}`;
      app = http;
    } else {
      app = await NestFactory.createApplicationContext(module, { logger });
      await app.init();
    }
  } catch (err) {
    await db.embedded?.stop();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await db.embedded?.stop();
    })());
  return { app, url, migrationsApplied: db.migrationsApplied, stop };
}
