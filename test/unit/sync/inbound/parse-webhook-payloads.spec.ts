// Every payload Jira really sends is acknowledged: events the bridge does not use, and comment
// events that name no issue it can find, are dropped (ignore) rather than refused.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commentText } from '@app/modules/jira/client/adf-text';
import { parseJiraWebhook } from '@app/modules/sync/inbound/parse-webhook';

const UNUSED = join(__dirname, '../../../fixtures/jira-webhooks/unused-events');

describe('parseJiraWebhook: payloads Jira sends that the bridge does not use', () => {
  const files = readdirSync(UNUSED).filter((f) => f.endsWith('.json')).sort();

  it('has fixtures, each citing its source', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(Object.keys(JSON.parse(readFileSync(join(UNUSED, f), 'utf8')))[0]).toBe('_source');
  });

  it.each(files)('%s is ignored, not refused', (f) => {
    const r = parseJiraWebhook(JSON.parse(readFileSync(join(UNUSED, f), 'utf8')));
    expect(r).toMatchObject({ ok: false, ignore: true, reason: expect.stringContaining('unsupported event type') });
  });

  it('ignores a comment event that names no issue, neither as an object nor in comment.self', () => {
    const r = parseJiraWebhook({ timestamp: 1, webhookEvent: 'comment_created', comment: { id: '5', body: 'x', self: 'https://jira.example/rest/api/2/comment/5' } });
    expect(r).toMatchObject({ ok: false, ignore: true, reason: expect.stringContaining('names no issue') });
  });

  it('still refuses what is not a Jira payload', () => {
    expect(parseJiraWebhook({ timestamp: 1, webhookEvent: 'jira:issue_updated' })).toEqual({ ok: false, reason: 'payload has no issue' });
    expect(parseJiraWebhook('nope')).toEqual({ ok: false, reason: 'payload is not a JSON object' });
  });
});

describe('commentText', () => {
  it('keeps wiki text as it is', () => {
    expect(commentText('Fixed in *2.4.1*\ncrashbridge-regression-1a2b3c4d-1')).toBe('Fixed in *2.4.1*\ncrashbridge-regression-1a2b3c4d-1');
  });

  it('flattens ADF: text, breaks, mentions, emoji, cards, tables; unknown nodes keep their text', () => {
    const doc = {
      type: 'doc', version: 1, content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Regression' }] },
        { type: 'paragraph', content: [{ type: 'emoji', attrs: { shortName: ':fire:', text: '🔥' } }, { type: 'text', text: ' see ' }, { type: 'inlineCard', attrs: { url: 'https://x.example/1' } }] },
        { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableHeader', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] }] }, { type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'b' }] }] }] }] },
        { type: 'somethingNew', content: [{ type: 'text', text: 'kept' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'crashbridge-regression-1a2b3c4d-3' }] },
      ],
    };
    expect(commentText(doc)).toBe('Regression\n🔥 see https://x.example/1\na b \nkeptcrashbridge-regression-1a2b3c4d-3');
  });

  it('reads junk as empty text', () => {
    expect(commentText(null)).toBe('');
    expect(commentText({ type: 'doc', content: 'x' })).toBe('');
  });
});
