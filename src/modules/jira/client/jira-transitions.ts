import type { JiraTransport } from './jira-transport';
import type { JiraTransition, JiraTransitionField } from './jira-types';

const enc = encodeURIComponent;

/** `withFields`: also each transition's screen (`expand=transitions.fields`). */
export async function getTransitions(transport: JiraTransport, idOrKey: string, withFields = false): Promise<JiraTransition[]> {
  const data = await transport.request<{ transitions?: unknown[] }>({
    method: 'GET',
    path: `issue/${enc(idOrKey)}/transitions`,
    route: 'issue/{issue}/transitions',
    ...(withFields ? { query: { expand: 'transitions.fields' } } : {}),
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
    ...(t.fields && typeof t.fields === 'object' ? { fields: normalizeScreen(t.fields as Record<string, any>) } : {}),
  };
}

/** A transition screen's fields by id; allowed values keep only what callers read (id and name). */
function normalizeScreen(raw: Record<string, any>): Record<string, JiraTransitionField> {
  const out: Record<string, JiraTransitionField> = {};
  for (const [id, f] of Object.entries(raw)) {
    if (!f || typeof f !== 'object') continue;
    out[id] = {
      name: String(f.name ?? id),
      required: f.required === true,
      hasDefaultValue: f.hasDefaultValue === true,
      ...(Array.isArray(f.allowedValues)
        ? { allowedValues: f.allowedValues.map((v: any) => ({ id: String(v?.id ?? ''), name: String(v?.name ?? v?.value ?? '') })) }
        : {}),
    };
  }
  return out;
}
