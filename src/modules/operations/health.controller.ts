import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { DatabaseHealthRepository } from '@app/database/repositories/database-health.repository';
import { Dispatcher, DISPATCHER } from '@app/queue/dispatcher';
import { Public } from '@app/modules/projects/auth/auth.decorators';

const DB_TIMEOUT_MS = 2_000;

async function databaseUp(database: DatabaseHealthRepository): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), DB_TIMEOUT_MS)));
    await Promise.race([database.ping(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealthRepository,
    @Inject(DISPATCHER) private readonly dispatcher: Dispatcher,
  ) {}

  /** 200 when every dependency answers, 503 otherwise; never hangs. */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) res: Response) {
    const [db, queue] = await Promise.all([databaseUp(this.database), this.dispatcher.health()]);
    const ok = db && queue !== 'down';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database: db ? 'up' : 'down', queue };
  }
}
