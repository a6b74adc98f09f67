declare module '../../queue/job-types' {
  interface JobPayloads {
    /** Reopen a regressed group's Jira issue and/or comment on it (settings.regression). */
    'jira.regression': { groupId: string; regressionNo: number; version: string | null; count: number; resolvedUntil: string | null };
  }
}

export {};
