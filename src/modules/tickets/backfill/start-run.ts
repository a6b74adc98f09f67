import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { conflict } from '@app/common/errors/domain-error';
import { pgCode } from '@app/common/errors/database-errors';
import { JiraRunKind, JiraRunRepository, JiraRunRow } from '@app/database/repositories/jira-run.repository';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { JiraIntegrationService } from '@app/modules/jira-settings/jira-integration.service';
import { integrationMissing } from '@app/modules/tickets/linking/request-ticket.use-case';

/**
 * Inserts a running backfill or import and queues its job in one transaction; `prepare` adds what the run works
 * through. One run at a time per project (a unique index): a second start is a 409.
 */
@Injectable()
export class RunStarter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: JiraRunRepository,
    private readonly integrations: JiraIntegrationService,
    private readonly outbox: OutboxService,
  ) {}

  async start(projectId: string, kind: JiraRunKind, params: object, prepare: (m: EntityManager, run: JiraRunRow) => Promise<void>): Promise<JiraRunRow> {
    try {
      const run = await inTransaction(this.dataSource, async (m) => {
        const settings = await this.integrations.findSettings(projectId, m);
        if (!settings || !settings.enabled) throw integrationMissing();
        const row = await this.runs.insert(m, projectId, kind, params);
        await prepare(m, row);
        await this.outbox.enqueue(m, { kind: kind === 'backfill' ? 'jira.backfill' : 'jira.import', projectId, payload: { runId: row.id } });
        return (await this.runs.findById(row.id, m)) ?? row;
      });
      this.outbox.kick();
      return run;
    } catch (err) {
      if (err instanceof QueryFailedError && pgCode(err) === '23505') {
        throw conflict('RUN_ALREADY_RUNNING', 'a backfill or import is already running for this project');
      }
      throw err;
    }
  }
}
