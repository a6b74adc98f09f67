/** At most one unfinished ticket.create job per group. */
export const ticketCreateDedupeKey = (groupId: string) => `ticket.create:${groupId}`;
