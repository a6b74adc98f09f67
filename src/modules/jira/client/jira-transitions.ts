import type { JiraTransport } from './jira-transport';
import type { JiraTransition } from './jira-types';

const enc = encodeURIComponent;

export async function getTransitions(transport: JiraTransport, idOrKey: string): Promise<JiraTransition[]> {
  const data = await transport.request<{ transitions?: unknown[] }>({
    method: 'GET',
    path: `issue/${enc(idOrKey)}/transitions`,
    route: 'issue/{issue}/transitions',
  });
  return (Array.isArray(data?.transitions) ? data.transitions : []).map(normalizeTransition);
}

export async function transitionIssue(
  transport: JiraTransport,
  idOrKey: string,
  transitionId: string,
  fields: Record<string, unknown> | undefined,
): Promise<void> {
  await transport.request({
    method: 'POST',
    path: `issue/${enc(idOrKey)}/transitions`,
    route: 'issue/{issue}/transitions',
    body: fields && Object.keys(fields).length ? { transition: { id: transitionId }, fields } : { transition: { id: transitionId } },
    // Replaying a transition after a lost answer could move the issue a second step.
    idempotent: false,
  });
}

/** Fills in every field the callers read, whatever Jira left out. */
function normalizeTransition(raw: unknown): JiraTransition {
  const t = (raw ?? {}) as Record<string, any>;
  const to = (t.to ?? {}) as Record<string, any>;
  return {
    id: String(t.id ?? ''),
    name: String(t.name ?? ''),
    to: {
      id: String(to.id ?? ''),
      name: String(to.name ?? ''),
      statusCategory: { key: String(to.statusCategory?.key ?? 'undefined') },
    },
  };
}
