import { Injectable } from '@nestjs/common';
import { JobHandler, JobKind } from './job-types';

export interface JobOptions {
  /**
   * How long a worker owns a claimed job of this kind (default JOB_LOCK_SECONDS): a job that
   * always finishes quickly can take a shorter lock, so that if its worker dies, the job
   * (and whatever counts on it) runs again sooner.
   */
  lockSeconds?: number;
}

/** Feature modules register their handlers here at module init. */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler<JobKind>>();
  private readonly locks = new Map<string, number>();

  register<K extends JobKind>(kind: K, handler: JobHandler<K>, options: JobOptions = {}): void {
    if (this.handlers.has(kind)) throw new Error(`job handler for ${kind} registered twice`);
    this.handlers.set(kind, handler as unknown as JobHandler<JobKind>);
    if (options.lockSeconds !== undefined) this.locks.set(kind, options.lockSeconds);
  }

  get(kind: string): JobHandler<JobKind> | undefined {
    return this.handlers.get(kind);
  }

  /** The kinds registered with their own lock time, and those times. */
  lockSeconds(): { kinds: string[]; seconds: number[] } {
    return { kinds: [...this.locks.keys()], seconds: [...this.locks.values()] };
  }
}
