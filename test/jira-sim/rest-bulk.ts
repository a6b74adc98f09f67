// POST issue/bulk: up to 50 creates in one call, each validated on its own as POST /issue would.
import { canBrowse } from './permissions';
import { RestCtx, RestResult, Route, route } from './router';
import { JiraHttpError, fail, isObject } from './util';
import { validateCreate } from './validation';

/** Jira Cloud and Data Center refuse a bulk create of more than 50 issues. */
export const BULK_CREATE_LIMIT = 50;

interface ElementError {
  status: number;
  elementErrors: unknown;
  failedElementNumber: number;
}

function bulkCreate(c: RestCtx): RestResult {
  const updates = isObject(c.body) ? c.body.issueUpdates : undefined;
  if (!Array.isArray(updates)) fail(400, 'Request body must contain issueUpdates (an array of issues to create).');
  if (updates.length > BULK_CREATE_LIMIT) fail(400, `The number of issues to create in bulk must not exceed ${BULK_CREATE_LIMIT}.`);
  if (!canBrowse(c.store)) fail(400, [], { project: 'Specify a valid project ID or key' });
  c.store.permissions.require('CREATE_ISSUES');
  const issues: Array<{ id: string; key: string; self: string }> = [];
  const errors: ElementError[] = [];
  let firstSummary: string | undefined;
  updates.forEach((update, i) => {
    try {
      const input = validateCreate(c.store, update);
      const issue = c.store.createIssue(input.project, input.issueType, input.values, c.actor);
      firstSummary ??= String(issue.fields.summary ?? '');
      issues.push({ id: issue.id, key: issue.key, self: `${c.store.apiUrl}issue/${issue.id}` });
    } catch (e) {
      if (!(e instanceof JiraHttpError)) throw e;
      errors.push({ status: e.status, elementErrors: e.body, failedElementNumber: i });
    }
  });
  // Jira answers 400 when no element was created, 201 otherwise (the refused ones listed in `errors`).
  const status = issues.length === 0 && errors.length > 0 ? 400 : 201;
  // Fault: the issues exist now, but the client never hears about them.
  const drop = firstSummary !== undefined && c.faults.shouldDropCreate(firstSummary);
  return { status, body: { issues, errors }, drop };
}

export const bulkRoutes: Route[] = [route('POST', '/issue/bulk', bulkCreate)];
