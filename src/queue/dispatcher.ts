/** Hands due outbox rows to whatever runs them: Bull on Redis, or this process. */
export interface Dispatcher {
  /** Accepts the ids it can take now; the rest are offered again on the next poll. */
  dispatch(ids: string[]): Promise<void>;
  /** 'up'/'down' for Redis; 'embedded' when jobs run in-process. */
  health(): Promise<'up' | 'down' | 'embedded'>;
  /** Stops taking work and waits for the jobs running in this process. */
  drain(): Promise<void>;
}

export const DISPATCHER = Symbol('DISPATCHER');
