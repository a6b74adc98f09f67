import { Json, bug, client, useSimulators } from './sim-client';

describe('JiraSimulator comments: edit, delete, limits, lost answers', () => {
  const start = useSimulators();

  it('edits and deletes the bot\'s own comment, with comment_updated and comment_deleted webhooks', async () => {
    const sim = await start({ realComments: true });
    const api = client(sim);
    const { key } = (await api('POST', 'issue', bug('edits'))).body;
    const { id, created } = (await api('POST', `issue/${key}/comment`, { body: 'first' })).body;
    const edited = await api('PUT', `issue/${key}/comment/${id}`, { body: 'second' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id, body: 'second', created });
    expect(Date.parse(edited.body.updated)).toBeGreaterThan(Date.parse(created));
    expect((sim.events.at(-1)!.body as Json).webhookEvent).toBe('comment_updated');
    expect((await api('GET', `issue/${key}/comment/${id}`)).body.body).toBe('second');
    expect((await api('DELETE', `issue/${key}/comment/${id}`)).status).toBe(204);
    expect((sim.events.at(-1)!.body as Json)).toMatchObject({ webhookEvent: 'comment_deleted', comment: { id } });
    expect((await api('GET', `issue/${key}/comment`)).body.comments).toEqual([]);
    expect((await api('GET', `issue/${key}/comment/${id}`)).status).toBe(404);
  });

  it('refuses an empty or too long body, and another person\'s comment', async () => {
    const sim = await start({ flavour: 'datacenter' });
    const api = client(sim, 'bearer');
    const { key } = (await api('POST', 'issue', bug('limits'))).body;
    expect((await api('POST', `issue/${key}/comment`, { body: ' ' })).body.errors).toEqual({ comment: 'Comment body can not be empty!' });
    const long = await api('POST', `issue/${key}/comment`, { body: 'x'.repeat(32_768) });
    expect(long.status).toBe(400);
    expect(long.body.errors.comment).toMatch(/32,767/);
    expect((await api('POST', `issue/${key}/comment`, { body: 'x'.repeat(32_767) })).status).toBe(201);
    const theirs = sim.addComment(key, 'by a person');
    expect((await api('PUT', `issue/${key}/comment/${theirs}`, { body: 'mine now' })).status).toBe(403);
    expect((await api('DELETE', `issue/${key}/comment/${theirs}`)).status).toBe(403);
  });

  it('loses the answer of a comment it stored when told to', async () => {
    const sim = await start();
    const api = client(sim);
    const { key } = (await api('POST', 'issue', bug('drop'))).body;
    sim.faults.dropCommentResponses(1);
    await expect(api('POST', `issue/${key}/comment`, { body: 'lost answer' })).rejects.toThrow();
    expect(sim.getIssue(key)!.comments.map((c) => c.body)).toEqual(['lost answer']);
    expect((await api('POST', `issue/${key}/comment`, { body: 'answered' })).status).toBe(201);
  });
});
