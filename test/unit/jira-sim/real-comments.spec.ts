import { adfToWiki, wikiToAdf } from '../../jira-sim/adf';
import { Json, bug, client, useSimulators } from './sim-client';

describe('JiraSimulator realComments', () => {
  const start = useSimulators();

  it('Cloud stores ADF and answers v2 with wiki markup converted back, losing what ADF cannot hold', async () => {
    const sim = await start({ realComments: true });
    const api = client(sim);
    const { key } = (await api('POST', 'issue', bug('adf'))).body;
    const wiki = 'Regressed in [2.4.1|https://example.com/r/241] {anchor:cb-marker} *again*\nsee https://example.com/x\n\n\n{code}trace{code}';
    const posted = await api('POST', `issue/${key}/comment`, { body: wiki });
    expect(posted.status).toBe(201);
    const back = 'Regressed in [2.4.1|https://example.com/r/241]  *again*\nsee [https://example.com/x|https://example.com/x]\n\n{noformat}\ntrace\n{noformat}';
    expect(posted.body.body).toBe(back);
    expect((await api('GET', `issue/${key}/comment`)).body.comments[0].body).toBe(back);
    const stored = sim.getIssue(key)!.comments[0];
    expect(stored.adf).toMatchObject({ type: 'doc', version: 1 });
    const event = sim.events.at(-1)!.body as Json;
    expect(event.webhookEvent).toBe('comment_created');
    expect(event.comment.body).toEqual(stored.adf);
    expect(event.issue.key).toBe(key);
  });

  it('round-trips links, mentions, emphasis and {code:lang} verbatim', () => {
    const wiki = 'Fixed by [~accountid:5b10ac8d82e05b22cc7d4ef5] in [PR 12|https://git.example.com/pr/12], _really_\n\n{code:java}\nint x = 1;\n{code}';
    expect(adfToWiki(wikiToAdf(wiki))).toBe(wiki);
  });

  it('Data Center: comment_created carries no issue, only comment.self with the issue id', async () => {
    const sim = await start({ flavour: 'datacenter', realComments: true });
    const api = client(sim, 'bearer');
    const { id, key } = (await api('POST', 'issue', bug('dc'))).body;
    await api('POST', `issue/${key}/comment`, { body: '{anchor:x}kept verbatim on DC' });
    const event = sim.events.at(-1)!.body as Json;
    expect(event.issue).toBeUndefined();
    expect(event.comment.self).toBe(`${sim.apiUrl}issue/${id}/comment/${event.comment.id}`);
    expect(event.comment.body).toBe('{anchor:x}kept verbatim on DC');
  });

  it('stays off by default: plain string bodies, and DC events carry the issue', async () => {
    const sim = await start({ flavour: 'datacenter' });
    const api = client(sim, 'bearer');
    const { key } = (await api('POST', 'issue', bug('dc'))).body;
    await api('POST', `issue/${key}/comment`, { body: 'x' });
    expect((sim.events.at(-1)!.body as Json).issue.key).toBe(key);
  });
});
