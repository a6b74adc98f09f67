// Issue endpoints: create/read/edit/delete, transitions, assignee, comments, entity properties.
import { canBrowse } from './permissions';
import { parseFieldList, userJson } from './render';
import { RestCtx, RestResult, Route, intParam, mustIssue, noContent, ok, route } from './router';
import { doTransition, listTransitions } from './transitions';
import { isObject, fail } from './util';
import { validateCreate, validateEdit } from './validation';

function createIssue(c: RestCtx): RestResult {
  // A project the bot cannot browse does not exist for it.
  if (!canBrowse(c.store)) fail(400, [], { project: 'Specify a valid project ID or key' });
  c.store.permissions.require('CREATE_ISSUES');
  const input = validateCreate(c.store, c.body);
  const issue = c.store.createIssue(input.project, input.issueType, input.values, c.actor);
  const body = { id: issue.id, key: issue.key, self: `${c.store.apiUrl}issue/${issue.id}` };
  // Fault: the issue exists now, but the client never hears about it.
  return { status: 201, body, drop: c.faults.shouldDropCreate(String(issue.fields.summary ?? '')) };
}

/** Cloud: {accountId}; Data Center: {name}. null (or "-1") unassigns. */
function assignee(c: RestCtx) {
  const issue = mustIssue(c.store, c.params[0]);
  c.store.permissions.require('ASSIGN_ISSUES');
  const body = isObject(c.body) ? c.body : fail(400, 'Invalid request payload. Refer to the REST API documentation and try again.');
  const cloud = c.store.flavour === 'cloud';
  if (cloud && body.accountId === undefined && (body.name !== undefined || body.key !== undefined)) {
    fail(400, "'accountId' must be the only user identifying query parameter in GDPR strict mode.");
  }
  const ref = cloud ? body.accountId : body.name ?? body.key;
  let value: unknown = null;
  if (ref !== null && ref !== undefined && ref !== '-1') {
    const u = c.store.user(String(ref));
    if (!u && cloud) fail(404, `User with accountId '${String(ref)}' does not exist or you do not have required permissions.`);
    if (!u) fail(400, [], { assignee: `User '${String(ref)}' does not exist.` });
    if (!c.store.permissions.assignable(u.accountId, u.name)) fail(400, [], { assignee: `User '${cloud ? u.displayName : u.name}' cannot be assigned issues.` });
    value = userJson(c.store, u);
  }
  c.store.edit(issue, { assignee: value }, c.actor, 'issue_assigned');
  return noContent();
}

/** Jira's limit on a comment body (Cloud; Data Center's default jira.text.field.character.limit is the same). */
const COMMENT_MAX_CHARS = 32_767;

/** A v2 comment body: wiki text, not empty, within the limit. */
function commentBody(c: RestCtx): string {
  const body = isObject(c.body) ? c.body.body : undefined;
  if (typeof body !== 'string' || !body.trim()) fail(400, [], { comment: 'Comment body can not be empty!' });
  if (body.length > COMMENT_MAX_CHARS) fail(400, [], { comment: 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.' });
  return body;
}

function addComment(c: RestCtx): RestResult {
  const issue = mustIssue(c.store, c.params[0]);
  c.store.permissions.require('ADD_COMMENTS');
  const comment = c.store.addComment(issue, commentBody(c), c.actor);
  // Fault: the comment exists now, but the client never hears about it.
  return { status: 201, body: c.store.commentJson(issue, comment), drop: c.faults.shouldDropComment() };
}

function mustComment(c: RestCtx) {
  const issue = mustIssue(c.store, c.params[0]);
  const comment = issue.comments.find((x) => x.id === c.params[1]);
  if (!comment) fail(404, `Can not find a comment for the id: ${c.params[1]}.`);
  return { issue, comment };
}

/** Editing and deleting: the bot may touch its own comments (the Edit/Delete Own Comments permissions); others' are refused. */
function ownComment(c: RestCtx, action: string) {
  const found = mustComment(c);
  const bot = c.store.flavour === 'cloud' ? c.actor.accountId : c.actor.name;
  if (found.comment.author !== bot) fail(403, `You do not have the permission to ${action} this comment.`);
  return found;
}

function listComments(c: RestCtx) {
  const issue = mustIssue(c.store, c.params[0]);
  const startAt = intParam(c.query.get('startAt'), 0);
  const maxResults = intParam(c.query.get('maxResults'), 5000, 5000);
  const all = issue.comments.map((cm) => c.store.commentJson(issue, cm));
  return ok({ startAt, maxResults, total: all.length, comments: all.slice(startAt, startAt + maxResults) });
}

function property(c: RestCtx): RestResult {
  const issue = mustIssue(c.store, c.params[0]);
  const key = c.params[1];
  const exists = Object.prototype.hasOwnProperty.call(issue.properties, key);
  if (c.method === 'PUT') {
    if (c.body === undefined) fail(400, 'The property value must be valid JSON.');
    if (key.length > 255) fail(400, 'The property key cannot be longer than 255 characters.');
    issue.properties[key] = c.body; // properties neither change `updated` nor send webhooks
    return { status: exists ? 200 : 201 };
  }
  if (!exists) fail(404, `The property with key '${key}' does not exist.`);
  if (c.method === 'DELETE') {
    delete issue.properties[key];
    return noContent();
  }
  return ok({ key, value: issue.properties[key] });
}

export const issueRoutes: Route[] = [
  route('POST', '/issue', createIssue),
  route('GET', '/issue/:id', (c) => ok(c.store.issueJson(mustIssue(c.store, c.params[0]), parseFieldList(c.query.get('fields'))))),
  route('PUT', '/issue/:id', (c) => {
    const issue = mustIssue(c.store, c.params[0]);
    c.store.permissions.require('EDIT_ISSUES');
    c.store.edit(issue, validateEdit(c.store, issue, c.body), c.actor);
    return noContent();
  }),
  route('DELETE', '/issue/:id', (c) => {
    const issue = mustIssue(c.store, c.params[0]);
    c.store.permissions.require('DELETE_ISSUES');
    c.store.deleteIssue(issue, c.actor);
    return noContent();
  }),
  route('GET', '/issue/:id/transitions', listTransitions),
  route('POST', '/issue/:id/transitions', doTransition),
  route('PUT', '/issue/:id/assignee', assignee),
  route('POST', '/issue/:id/comment', addComment),
  route('GET', '/issue/:id/comment', listComments),
  route('GET', '/issue/:id/comment/:cid', (c) => {
    const { issue, comment } = mustComment(c);
    return ok(c.store.commentJson(issue, comment));
  }),
  route('PUT', '/issue/:id/comment/:cid', (c) => {
    const { issue, comment } = ownComment(c, 'edit');
    return ok(c.store.commentJson(issue, c.store.updateComment(issue, comment, commentBody(c), c.actor)));
  }),
  route('DELETE', '/issue/:id/comment/:cid', (c) => {
    const { issue, comment } = ownComment(c, 'delete');
    c.store.deleteComment(issue, comment, c.actor);
    return noContent();
  }),
  route('GET', '/issue/:id/properties', (c) => {
    const issue = mustIssue(c.store, c.params[0]);
    return ok({ keys: Object.keys(issue.properties).map((key) => ({ self: `${c.store.apiUrl}issue/${issue.id}/properties/${encodeURIComponent(key)}`, key })) });
  }),
  route('GET', '/issue/:id/properties/:key', property),
  route('PUT', '/issue/:id/properties/:key', property),
  route('DELETE', '/issue/:id/properties/:key', property),
];
