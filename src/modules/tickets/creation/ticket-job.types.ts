declare module '../../../queue/job-types' {
  interface JobPayloads {
    /** Create the Jira issue of one group (auto: by createRules; else asked for by a person). */
    'ticket.create': { groupId: string; auto: boolean };
  }
}

export const ticketCreateDedupeKey = (groupId: string) => `ticket.create:${groupId}`;
