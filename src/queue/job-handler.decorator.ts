import { DiscoveryService } from '@nestjs/core';
import { JobKind } from './job-kinds';
import { HandlesJob } from './job-types';

export interface JobOptions {
  /**
   * How long a worker owns a claimed job of this kind (default JOB_LOCK_SECONDS): a job that
   * always finishes quickly can take a shorter lock, so that if its worker dies, the job
   * (and whatever counts on it) runs again sooner.
   */
  lockSeconds?: number;
}

export interface JobHandlerMeta extends JobOptions {
  kind: JobKind;
}

/** Nest's discoverable metadata: JobRegistry finds the providers marked with it. */
export const JOB_HANDLER = DiscoveryService.createDecorator<JobHandlerMeta>();

/**
 * Marks a provider as the handler of one job kind. The class must have
 * `handle(payload, ctx)` taking that kind's payload; the compiler checks it here.
 */
export function JobHandler<K extends JobKind>(kind: K, options: JobOptions = {}) {
  return <T extends abstract new (...args: never[]) => HandlesJob<K>>(target: T): void => {
    JOB_HANDLER({ kind, ...options })(target);
  };
}
