import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthResponseDto } from './dto/health-response.dto';
import { HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Response } from 'express';
import { DataSource } from 'typeorm';
import { JiraIntegrationRepository } from '@app/database/repositories/jira-integration.repository';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { QueueHealthIndicator } from './queue.health';

const DB_TIMEOUT_MS = 2_000;

/** The project keys whose Jira credentials fail, or none when the database cannot say in time. */
async function failingKeys(rows: JiraIntegrationRepository): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), DB_TIMEOUT_MS)));
  const found = rows.listFailingCredentials().then((list) => list.map((f) => f.projectKey), () => []);
  return Promise.race([found, late]).finally(() => clearTimeout(timer));
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly checks: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly queue: QueueHealthIndicator,
    private readonly dataSource: DataSource,
    private readonly integrations: JiraIntegrationRepository,
  ) {}

  /**
   * 200 when every dependency answers, 503 otherwise; never hangs (the database ping times
   * out after 2 s, the queue's after 1 s). The body stays the service's own flat shape
   * (`{ status, database, queue }`), which probes and dashboards read, not terminus's. While Jira refuses some
   * integration's credentials, `jira: { credentialsFailing: [keys] }` says which; it does not change the status:
   * one project's token is not the service's health.
   */
  @Get()
  @Public()
  @ApiOkResponse({ type: HealthResponseDto, description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'The database or the queue does not answer (status degraded)' })
  async health(@Res({ passthrough: true }) res: Response) {
    const failing = failingKeys(this.integrations);
    const result = await this.checks
      .check([() => this.database.pingCheck('database', { connection: this.dataSource, timeout: DB_TIMEOUT_MS }), () => this.queue.check('queue')])
      .catch((err: unknown) => {
        // terminus answers a failed check by throwing, the result as the response.
        if (err instanceof ServiceUnavailableException) return err.getResponse() as HealthCheckResult;
        throw err;
      });
    const database = result.details.database?.status === 'up' ? 'up' : 'down';
    const queue = (result.details.queue?.state as 'up' | 'down' | 'embedded' | undefined) ?? 'down';
    // From the indicators, not result.status: terminus says `shutting_down` during a graceful stop.
    const ok = database === 'up' && queue !== 'down';
    res.status(ok ? 200 : 503);
    const credentialsFailing = await failing;
    return { status: ok ? 'ok' : 'degraded', database, queue, ...(credentialsFailing.length ? { jira: { credentialsFailing } } : {}) };
  }
}
