import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '@app/app.module';
import { AppConfig } from '@app/config/app-config';
import { loadConfig } from '@app/config/load-config';
import { dataSourceOptions } from '@app/database/data-source-options';
import { EMBEDDED_POOL_SIZE, EmbeddedPostgres } from '@app/database/embedded-postgres';
import { runMigrationsLocked } from '@app/database/run-migrations';
import { ReopenJiraJob } from '@app/modules/regression/reopen-jira.job';
import { JobHandler } from '@app/queue/job-handler.decorator';
import { JobPayloads } from '@app/queue/job-kinds';
import { HandlesJob } from '@app/queue/job-types';
import { createTestDatabase } from '../support/databases';
import { redisUrl, runId, testMode } from '../support/test-env';

const mode = testMode();

@Injectable()
@JobHandler('ticket.create')
class SecondTicketHandler implements HandlesJob<'ticket.create'> {
  async handle(_payload: JobPayloads['ticket.create']): Promise<void> {}
}

@Module({ providers: [SecondTicketHandler] })
class SecondTicketHandlerModule {}

/**
 * The service's own module tree, built as startService() builds it, with one job class
 * taken out or one added: start-up must refuse, naming the job kind.
 */
describe(`job handlers checked at start-up (${mode})`, () => {
  let dataDir: string;
  let databaseUrl: string;
  let embedded: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cb-job-handlers-'));
    if (mode === 'postgres') databaseUrl = await createTestDatabase();
    else databaseUrl = (embedded = await EmbeddedPostgres.start(dataDir)).url;
    const ds = await new DataSource(dataSourceOptions(databaseUrl, 2)).initialize();
    await runMigrationsLocked(ds);
    await ds.destroy();
  });

  afterAll(async () => {
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const configFor = (role: string): AppConfig => {
    const env: Record<string, string> = { DATA_DIR: dataDir, ROLE: role, RESYNC_INTERVAL_SECONDS: '0', QUEUE_PREFIX: `cbtest-${runId()}-handlers-${process.pid}` };
    if (mode === 'postgres') Object.assign(env, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl() });
    return loadConfig(env);
  };

  async function boot(config: AppConfig, change: (b: ReturnType<typeof Test.createTestingModule>) => void): Promise<TestingModule> {
    const builder = Test.createTestingModule({
      imports: [AppModule.forRoot({ config, databaseUrl, poolSize: embedded ? EMBEDDED_POOL_SIZE : 2 }), SecondTicketHandlerModule],
    });
    change(builder);
    const app = await builder.compile();
    try {
      await app.init();
    } catch (err) {
      await app.close();
      throw err;
    }
    return app;
  }

  const withoutRegressionJob = (b: ReturnType<typeof Test.createTestingModule>) => {
    b.overrideModule(SecondTicketHandlerModule).useModule(class NoExtraHandlers {});
    b.overrideProvider(ReopenJiraJob).useValue({});
  };

  it('refuses to start a process that runs jobs when a kind has no handler', async () => {
    await expect(boot(configFor('all'), withoutRegressionJob)).rejects.toThrow('no handler for job kind jira.regression');
  });

  it('refuses to start when a kind has two handlers', async () => {
    await expect(boot(configFor('all'), () => undefined)).rejects.toThrow('job kind ticket.create has 2 handlers (CreateTicketJob, SecondTicketHandler)');
  });

  // A split role needs a shared database: loadConfig refuses ROLE=api in embedded mode.
  if (mode === 'postgres') {
    it('starts an API-only process (ROLE=api) without the handler: it runs no jobs', async () => {
      const app = await boot(configFor('api'), withoutRegressionJob);
      await app.close();
    });
  }
});
