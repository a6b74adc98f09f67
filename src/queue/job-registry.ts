import { Injectable } from '@nestjs/common';
import { JobHandler, JobKind } from './job-types';

/** Feature modules register their handlers here at module init. */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler<JobKind>>();

  register<K extends JobKind>(kind: K, handler: JobHandler<K>): void {
    if (this.handlers.has(kind)) throw new Error(`job handler for ${kind} registered twice`);
    this.handlers.set(kind, handler as unknown as JobHandler<JobKind>);
  }

  get(kind: string): JobHandler<JobKind> | undefined {
    return this.handlers.get(kind);
  }
}
