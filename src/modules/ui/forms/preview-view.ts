import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { PreviewResponseDto } from '@app/modules/tickets/preview/dto/preview-response.dto';

/** What Preview renders when the project has no group yet, or none is chosen. Not stored. */
export const SAMPLE_GROUP: Record<string, unknown> = {
  fingerprint: 'sample-0000000000000000',
  title: "TypeError: Cannot read properties of undefined (reading 'id')",
  callstack: ['renderProfile (profile.js:42)', 'onClick (button.js:7)', 'dispatch (events.js:120)'],
  count: 42,
  attributes: { version: { '1.4.2': 30, '1.4.1': 12 }, platform: { Linux: 25, Windows: 17 } },
};

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

/** A field Jira takes as an object (`{"key": "CHK"}`, `{"id": "10004"}`) by the name a person reads. */
const nameOf = (v: unknown): string => {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  return show(o.key ?? o.name ?? o.id ?? v ?? '');
};

/** The issue type a route's settings name (Jira's fields may carry only its id); the default route's when it names none. */
function issueTypeOf(settings: Pick<JiraSettings, 'issueType' | 'routes'>, route: string): string {
  return settings.routes.find((r) => r.name === route)?.issueType || settings.issueType;
}

/**
 * The preview as the page lists it: group, route, project, summary, labels and description first, then
 * every other field. `chosen`: the route asked for; none, and the group's conditions chose it.
 */
export function previewView(result: PreviewResponseDto, settings: Pick<JiraSettings, 'issueType' | 'routes'>, fingerprint: string | undefined, chosen: string | undefined) {
  const { summary, labels, description, project, issuetype, ...rest } = result.fields as Record<string, unknown>;
  const issueType = issueTypeOf(settings, result.route);
  const typeId = nameOf(issuetype);
  return {
    source: fingerprint ? `group ${fingerprint}` : 'the sample group',
    route: chosen ? result.route : `${result.route} (chosen by the group's conditions)`,
    project: `${nameOf(project)} · ${issueType}${typeId !== issueType ? ` (${typeId})` : ''}`,
    subject: show(summary ?? ''),
    labels: Array.isArray(labels) ? labels.map(String) : [],
    description: description === undefined ? '' : show(description),
    fields: Object.entries(rest).map(([id, value]) => ({ id, value: show(value) })),
    warnings: result.warnings,
    errors: result.errors,
  };
}
