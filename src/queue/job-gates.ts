import { Injectable } from '@nestjs/common';
import { JobWaitError } from './job-errors';

/** Asked before a job of one of `kinds` runs; a JobWaitError keeps the job waiting without running it. */
export interface JobGate {
  kinds: readonly string[];
  check(projectId: string): Promise<JobWaitError | null>;
}

/**
 * The gates modules register (the queue knows none of them): a job that would only fail while some cause
 * lasts, e.g. a Jira job while Jira refuses the credentials, waits instead of spending an attempt.
 */
@Injectable()
export class JobGates {
  private readonly gates: JobGate[] = [];

  register(gate: JobGate): void {
    this.gates.push(gate);
  }

  async check(kind: string, projectId: string | null): Promise<JobWaitError | null> {
    if (projectId === null) return null;
    for (const gate of this.gates) {
      if (!gate.kinds.includes(kind)) continue;
      const wait = await gate.check(projectId);
      if (wait) return wait;
    }
    return null;
  }
}
