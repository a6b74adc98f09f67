/** A due outbox row: its id and how many runs it has had (a retry is a new run). */
export interface DueRow {
  id: string;
  attempts: number;
}

/** Hands due outbox rows to whatever runs them: Bull on Redis, or this process. */
export interface Dispatcher {
  /** Accepts the rows it can take now; the rest are offered again on the next poll. */
  dispatch(rows: DueRow[]): Promise<void>;
  /** 'up'/'down' for Redis; 'embedded' when jobs run in-process. */
  health(): Promise<'up' | 'down' | 'embedded'>;
  /** Stops taking work and waits for the jobs running in this process. */
  drain(): Promise<void>;
  /**
   * Calls `listener` whenever the queue's store connects again, when the jobs it was given
   * may be gone (Redis restarted without persistence). In-process dispatch holds none.
   */
  onReconnect?(listener: () => void): void;
}

export const DISPATCHER = Symbol('DISPATCHER');
