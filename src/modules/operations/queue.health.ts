import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Dispatcher, DISPATCHER } from '@app/queue/dispatcher';

/** The job queue as a terminus indicator: `state` is the dispatcher's answer (up, down, embedded). */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    @Inject(DISPATCHER) private readonly dispatcher: Dispatcher,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const state = await this.dispatcher.health();
    const session = this.indicators.check(key);
    return state === 'down' ? session.down({ state }) : session.up({ state });
  }
}
