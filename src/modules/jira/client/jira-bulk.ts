import { isJiraError } from './jira-errors';
import type { JiraTransport } from './jira-transport';
import type { JiraCreatedIssue } from './jira-types';

/** Jira takes at most this many issues in one `POST issue/bulk`. */
export const BULK_CREATE_MAX = 50;

/** One element of a bulk create: created, or refused with Jira's reasons. */
export type BulkCreateOutcome = { created: JiraCreatedIssue } | { refused: string };

interface BulkAnswer {
  issues?: Array<{ id: string | number; key: string; self: string }>;
  errors?: Array<{ status?: number; failedElementNumber?: number; elementErrors?: { errorMessages?: string[]; errors?: Record<string, string> } }>;
}

function refusalText(e: NonNullable<BulkAnswer['errors']>[number]): string {
  const parts = [...(e.elementErrors?.errorMessages ?? []), ...Object.entries(e.elementErrors?.errors ?? {}).map(([f, t]) => `${f}: ${t}`)];
  return parts.length > 0 ? parts.join('; ') : `Jira ${e.status ?? 400}`;
}

/**
 * `POST issue/bulk`: one outcome per element, in the order sent. Jira lists the created issues in element order
 * with the refused ones left out (`errors[].failedElementNumber`); when it refuses them all it answers 400.
 * Not retried after it may have reached Jira: a lost answer throws `unknown_outcome`.
 */
export async function bulkCreateIssues(transport: JiraTransport, elements: Array<{ fields: Record<string, unknown> }>): Promise<BulkCreateOutcome[]> {
  if (elements.length === 0) return [];
  if (elements.length > BULK_CREATE_MAX) throw new RangeError(`at most ${BULK_CREATE_MAX} issues per bulk create`);
  let answer: BulkAnswer;
  try {
    answer = await transport.request<BulkAnswer>({ method: 'POST', path: 'issue/bulk', body: { issueUpdates: elements }, idempotent: false });
  } catch (err) {
    if (isJiraError(err) && err.status === 400) return elements.map(() => ({ refused: err.message }));
    throw err;
  }
  const refused = new Map<number, string>();
  for (const e of answer?.errors ?? []) if (typeof e.failedElementNumber === 'number') refused.set(e.failedElementNumber, refusalText(e));
  const created = [...(answer?.issues ?? [])];
  return elements.map((_, i) => {
    const why = refused.get(i);
    if (why !== undefined) return { refused: why };
    const issue = created.shift();
    return issue ? { created: { id: String(issue.id), key: issue.key, self: issue.self } } : { refused: 'Jira answered no issue for this element' };
  });
}
