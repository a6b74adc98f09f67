import { JiraRoute } from '@app/modules/jira-settings/jira-settings';
import { ConditionRowForm, blankConditionRow, conditionRowsFromSettings, conditionToBody, isBlankRow, readConditionRows } from './condition-rows';
import { FormBody, indexedItems, textOf } from './indexed-fields';

export interface CustomFieldRowForm {
  field: string;
  value: string;
}

/** A route as typed. Empty texts are left out of the route: the default route's values apply. */
export interface RouteForm {
  name: string;
  projectKey: string;
  issueType: string;
  subject: string;
  labels: string;
  description: string;
  when: ConditionRowForm[];
  customFields: CustomFieldRowForm[];
}

/** A route just added: one blank condition row to fill in. */
export const blankRoute = (): RouteForm => ({
  name: '',
  projectKey: '',
  issueType: '',
  subject: '',
  labels: '',
  description: '',
  when: [blankConditionRow()],
  customFields: [],
});

export const blankCustomField = (): CustomFieldRowForm => ({ field: '', value: '' });

export function routesFromSettings(routes: readonly JiraRoute[] | undefined): RouteForm[] {
  return (routes ?? []).map((r) => ({
    name: r.name,
    projectKey: r.projectKey,
    issueType: r.issueType ?? '',
    subject: r.subject ?? '',
    labels: r.labels ?? '',
    description: r.description ?? '',
    when: conditionRowsFromSettings(r.when),
    customFields: (r.customFields ?? []).map((c) => ({ field: c.field, value: c.value })),
  }));
}

export function readRoutes(body: FormBody): RouteForm[] {
  return indexedItems(body, 'routes').map((r) => ({
    name: textOf(r.name).trim(),
    projectKey: textOf(r.projectKey).trim(),
    issueType: textOf(r.issueType).trim(),
    subject: textOf(r.subject),
    labels: textOf(r.labels),
    description: textOf(r.description),
    when: readConditionRows(r, 'when'),
    customFields: indexedItems(r, 'customFields').map((c) => ({ field: textOf(c.field).trim(), value: textOf(c.value) })),
  }));
}

const isBlankField = (c: CustomFieldRowForm) => c.field === '' && c.value.trim() === '';

/** Blank condition and custom field rows dropped, then routes with nothing typed in them. */
export function compactRoutes(routes: readonly RouteForm[]): RouteForm[] {
  return routes
    .map((r) => ({ ...r, when: r.when.filter((c) => !isBlankRow(c)), customFields: r.customFields.filter((c) => !isBlankField(c)) }))
    .filter((r) => [r.name, r.projectKey, r.issueType, r.subject, r.labels, r.description].some((t) => t.trim() !== '') || r.when.length || r.customFields.length);
}

/** The routes as the API takes them, one for one (indices in its error paths are the form's). */
export function routesToBody(routes: readonly RouteForm[]): Array<Record<string, unknown>> {
  return routes.map((r) => ({
    name: r.name,
    when: r.when.map(conditionToBody),
    projectKey: r.projectKey,
    ...(r.issueType ? { issueType: r.issueType } : {}),
    ...(r.subject.trim() ? { subject: r.subject } : {}),
    ...(r.labels.trim() ? { labels: r.labels } : {}),
    ...(r.description.trim() ? { description: r.description } : {}),
    ...(r.customFields.length ? { customFields: r.customFields } : {}),
  }));
}
