// Jira webhook body (Cloud or Data Center) → JiraChange. Pure: the controller verifies the
// signature / ?secret= on the raw bytes first, then hands the parsed JSON here.
//
// Shapes (see test/fixtures/jira-webhooks/README.md for sources and samples):
//   { timestamp, webhookEvent, issue_event_type_name?, user?, issue: {id, key, fields?}, changelog?: {items}, comment? }
// Flavour differences handled here:
//   - users: Cloud `accountId` (email may be hidden), Data Center `name`/`key`;
//   - changelog items: Cloud has `fieldId`, Data Center only `field` (display names such as "Fix Version", "Key");
//     even on Cloud some items ("Key", "Workflow") come without `fieldId`;
//   - comment events: the issue may carry a few fields or none at all, and there is no top-level `user`;
//     Data Center (since 7.1) sends `comment_created`/`comment_updated` with no `issue` at all: the issue id
//     is then read from `comment.self` (…/rest/api/2/issue/10001/comment/10100), and the key is unknown;
//   - Cloud comment bodies are Atlassian Document Format (ADF); Data Center's are wiki text.
// Events we do not use, and comment events that name no issue we can find, are acknowledged and dropped
// (`ignore`): Jira sends them in the normal course of things, so they must not get a 4xx.
import { commentText } from '@app/modules/jira/client/adf-text';
import type { JiraUserRef } from '@app/modules/jira/client/jira-types';
import type { JiraChange, JiraChangeKind } from './jira-change';
import {
  assigneeOf, compact, fixVersionNamesOf, idString, isRecord, parseJiraDate, projectKeyOf, statusOf, storableEpochMs, userRefOf,
} from './parse-issue';

/** `ignore`: a payload Jira really sends that carries nothing for us (answer 2xx, drop it); otherwise a bad payload. */
export type ParseWebhookResult = { ok: true; change: JiraChange } | { ok: false; reason: string; ignore?: boolean };

const KINDS: Record<string, JiraChangeKind> = {
  'jira:issue_created': 'created',
  'jira:issue_updated': 'updated',
  'jira:issue_deleted': 'deleted',
  comment_created: 'comment',
  comment_updated: 'comment',
  comment_deleted: 'comment',
};

// Changelog `field` names (Data Center, and Cloud items without fieldId), lower-cased → our names.
// Names not listed are kept as sent (system fields such as "resolution" already equal their ids).
const FIELD_BY_NAME: Record<string, string> = {
  status: 'status',
  assignee: 'assignee',
  'fix version': 'fixVersions',
  'fix versions': 'fixVersions',
  fixversions: 'fixVersions',
  key: 'key',
  issuekey: 'key',
  version: 'versions', // "Affects Version/s"
  component: 'components',
};
// fieldIds that differ from our names: a move's "Key" item has fieldId "issuekey" where one is sent.
const FIELD_BY_ID: Record<string, string> = { issuekey: 'key' };

const fail = (reason: string): ParseWebhookResult => ({ ok: false, reason });
const ignore = (reason: string): ParseWebhookResult => ({ ok: false, reason, ignore: true });

/** `…/rest/api/2/issue/10001/comment/10100` → issue and comment ids (Data Center comment events without `issue`). */
const COMMENT_SELF = /\/issue\/(\d+)\/comment\/(\d+)\/?(?:[?#].*)?$/;

export function parseJiraWebhook(body: unknown): ParseWebhookResult {
  if (!isRecord(body)) return fail('payload is not a JSON object');
  const event = body.webhookEvent;
  if (typeof event !== 'string' || !event) return fail('payload has no webhookEvent');
  const kind = KINDS[event];
  if (!kind) return ignore(`unsupported event type '${event}'`);

  const rawComment = isRecord(body.comment) ? body.comment : undefined;
  const fromSelf = typeof rawComment?.self === 'string' ? COMMENT_SELF.exec(rawComment.self) : null;
  const issue = body.issue;
  if (!isRecord(issue) && !(kind === 'comment' && rawComment)) return fail('payload has no issue');
  let issueId: string | undefined;
  let issueKey: string | undefined;
  if (isRecord(issue)) {
    issueId = idString(issue.id);
    issueKey = typeof issue.key === 'string' && issue.key.trim() ? issue.key.trim() : undefined;
    if (!issueId || !issueKey) return fail('payload has no issue id or key');
  } else {
    issueId = fromSelf?.[1];
    if (!issueId) return ignore(`'${event}' payload names no issue (no issue object, and no issue id in comment.self)`);
  }
  const fields = isRecord(issue) && isRecord(issue.fields) ? issue.fields : undefined;

  const comment = commentOf(rawComment, fromSelf?.[2], event === 'comment_deleted');
  if (kind === 'comment' && !comment) return fail(`'${event}' payload has no comment with an id`);

  // Order: the event's own timestamp; else when the issue was last updated; for comments, when the comment was.
  const timestamp =
    epochMs(body.timestamp) ?? parseJiraDate(fields?.updated) ?? parseJiraDate(rawComment?.updated) ?? parseJiraDate(rawComment?.created);
  if (timestamp === undefined) return fail(`payload has no usable timestamp (timestamp: ${JSON.stringify(body.timestamp) ?? 'absent'})`);

  const { changedFields, previousKey } = readChangelog(body.changelog);
  return {
    ok: true,
    change: compact<JiraChange>({
      kind,
      issueId,
      issueKey,
      jiraProjectKey: issueKey ? projectKeyOf(issueKey, fields) : undefined,
      timestamp,
      status: statusOf(fields),
      assignee: assigneeOf(fields),
      fixVersions: fixVersionNamesOf(fields),
      changedFields,
      // Comment events have no top-level `user`: whoever wrote (or last edited) the comment made the change.
      actor: userRefOf(body.user) ?? userRefOf(rawComment?.updateAuthor) ?? userRefOf(rawComment?.author),
      comment,
      previousKey: previousKey && previousKey !== issueKey ? previousKey : undefined,
    }),
  };
}

/** Webhook `timestamp`: ms since epoch as a number or a numeric string, within what the database stores; anything else is unusable. */
function epochMs(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return storableEpochMs(n);
}

function readChangelog(changelog: unknown): { changedFields: string[]; previousKey?: string } {
  const items = isRecord(changelog) && Array.isArray(changelog.items) ? changelog.items : [];
  const changedFields: string[] = [];
  let previousKey: string | undefined;
  for (const item of items) {
    if (!isRecord(item)) continue;
    const name = fieldName(item);
    if (!name) continue;
    if (!changedFields.includes(name)) changedFields.push(name); // one item per added/removed fix version
    if (name === 'key' && previousKey === undefined && typeof item.fromString === 'string' && item.fromString) previousKey = item.fromString;
  }
  return { changedFields, previousKey };
}

function fieldName(item: Record<string, unknown>): string | undefined {
  if (typeof item.fieldId === 'string' && item.fieldId) return FIELD_BY_ID[item.fieldId.toLowerCase()] ?? item.fieldId;
  if (typeof item.field === 'string' && item.field.trim()) return FIELD_BY_NAME[item.field.trim().toLowerCase()] ?? item.field.trim();
  return undefined;
}

function commentOf(c: Record<string, unknown> | undefined, idFromSelf: string | undefined, deleted: boolean): JiraChange['comment'] {
  const id = idString(c?.id) ?? idFromSelf;
  if (!c || !id) return undefined;
  const author: JiraUserRef | undefined = userRefOf(c.author);
  const created = parseJiraDate(c.created);
  // The comment's own `updated` orders its versions (the event timestamp says when Jira sent it).
  const updated = parseJiraDate(c.updated) ?? created;
  return compact({ id, body: commentText(c.body), author, created, updated, deleted: deleted || undefined });
}
