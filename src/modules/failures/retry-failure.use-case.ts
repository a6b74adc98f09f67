import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { conflict, notFound } from '@app/common/errors/domain-error';
import { OutboxRepository } from '@app/database/repositories/outbox.repository';
import { inTransaction } from '@app/database/transaction';
import { OutboxService } from '@app/queue/outbox.service';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { RetryFailuresResponseDto } from './dto/failure-response.dto';
import { FailuresService } from './failures.service';

/** "Retry" on one failure: runs the failed job again, once, from its first attempt. */
@Injectable()
export class RetryFailureUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly rows: OutboxRepository,
    private readonly failures: FailuresService,
    private readonly outbox: OutboxService,
  ) {}

  async execute(key: string, id: string): Promise<RetryFailuresResponseDto> {
    const project = await this.projects.getByKey(key);
    if (!/^[0-9]{1,18}$/.test(id)) throw notFound('FAILURE_NOT_FOUND', `no failed job '${id}' in project '${key}'`);
    const retried = await inTransaction(this.dataSource, (m) => this.failures.retry(m, project.id, [id]));
    if (retried.length === 0) {
      const block = await this.rows.retryBlock(project.id, id);
      if (!block || block.reason === 'missing') throw notFound('FAILURE_NOT_FOUND', `no failed job '${id}' in project '${key}'`);
      if (block.reason === 'queued') throw conflict('FAILURE_NOT_RETRYABLE', `job ${id} is not retried: the same work is already queued as job ${block.by}`);
      throw conflict('FAILURE_NOT_RETRYABLE', `job ${id} is ${block.status}, not failed: only failed work can be retried`);
    }
    this.outbox.kick();
    return { retried, skipped: [] };
  }
}
