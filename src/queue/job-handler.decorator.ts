import { DiscoveryService } from '@nestjs/core';
import { JobKind } from './job-kinds';
import { HandlesJob } from './job-types';

export interface JobHandlerMeta {
  kind: JobKind;
}

/** Nest's discoverable metadata: JobRegistry finds the providers marked with it. */
export const JOB_HANDLER = DiscoveryService.createDecorator<JobHandlerMeta>();

/**
 * Marks a provider as the handler of one job kind. The class must have
 * `handle(payload, ctx)` taking that kind's payload; the compiler checks it here.
 */
export function JobHandler<K extends JobKind>(kind: K) {
  return <T extends abstract new (...args: never[]) => HandlesJob<K>>(target: T): void => {
    JOB_HANDLER({ kind })(target);
  };
}
