import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { RetryFailuresResponseDto } from './dto/failure-response.dto';
import { FAILURES_LIMIT, FailuresService } from './failures.service';

/** "Retry all": runs every failed job of the project again, each once, from its first attempt. */
@Injectable()
export class RetryAllFailuresUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly rows: OutboxRepository,
    private readonly failures: FailuresService,
    private readonly outbox: OutboxService,
  ) {}

  async execute(key: string): Promise<RetryFailuresResponseDto> {
    const project = await this.projects.getByKey(key);
    const retried = await inTransaction(this.dataSource, (m) => this.failures.retry(m, project.id, null));
    if (retried.length) this.outbox.kick();
    // What stayed failed: the same work is queued already (or an older copy of a retried job).
    const left = await this.rows.listFailed(project.id, FAILURES_LIMIT);
    return { retried, skipped: left.map((r) => ({ id: r.id, reason: 'the same work is already queued' })) };
  }
}
