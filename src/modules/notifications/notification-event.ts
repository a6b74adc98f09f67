import { PendingEvent } from '@app/database/repositories/notification.repository';

/** The aad of a project's stored notification secret: a token copied to another project or purpose does not decrypt. */
export const notificationSecretAad = (projectId: string) => `notifications:${projectId}:secret`;

/** The id of the event of a change (its row id): the same in every attempt, so a receiver can drop repeats. */
export const eventId = (projectKey: string, changeId: string) => `${projectKey}:${changeId}`;

/** The JSON body POSTed for a change (`group`: the group as it is when sent). */
export function eventBody(projectKey: string, e: PendingEvent): Buffer {
  return Buffer.from(
    JSON.stringify({ id: eventId(projectKey, e.id), type: e.type, occurredAt: e.at.toISOString(), project: { key: projectKey }, group: e.group ?? { fingerprint: e.fingerprint }, changes: e.changes }),
    'utf8',
  );
}
