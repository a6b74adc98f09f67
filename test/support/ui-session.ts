import { TestApp } from './test-app';

/** A signed-in UI session for supertest: the cookies to send and the CSRF token of its forms. */
export interface UiClient {
  cookie: string;
  csrf: string;
}

const cookiesOf = (res: { headers: Record<string, unknown> }): string[] => ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]);

export const csrfIn = (html: string): string | undefined => html.match(/name="_csrf" value="([^"]+)"/)?.[1];

/** The sign-in form's double-submit cookie and token, as a browser would have them. */
export async function signInForm(app: TestApp): Promise<{ cookie: string; csrf: string }> {
  const res = await app.http().get('/ui/sign-in').expect(200);
  return { cookie: cookiesOf(res).join('; '), csrf: csrfIn(res.text)! };
}

/** `via`: as a reverse proxy would forward it (X-Forwarded-For / X-Forwarded-Proto). */
export async function postSignIn(app: TestApp, token: string, form?: { cookie: string; csrf: string }, via: { forwardedFor?: string; forwardedProto?: string } = {}) {
  const f = form ?? (await signInForm(app));
  let req = app.http().post('/ui/sign-in').set('Cookie', f.cookie);
  if (via.forwardedFor) req = req.set('X-Forwarded-For', via.forwardedFor);
  if (via.forwardedProto) req = req.set('X-Forwarded-Proto', via.forwardedProto);
  return req.type('form').send({ _csrf: f.csrf, token });
}

export async function signIn(app: TestApp): Promise<UiClient> {
  const res = await postSignIn(app, app.adminToken);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = cookiesOf(res).filter((c) => c.startsWith('cb_session=')).join('; ');
  const page = await app.http().get('/ui/projects').set('Cookie', cookie).expect(200);
  return { cookie, csrf: csrfIn(page.text)! };
}

/** Encoded as a browser does: a repeated field (a table column) is the same name several times. */
export function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

/** A form POST from a signed-in page (its CSRF token included unless `csrf: null`). */
export function uiPost(app: TestApp, ui: UiClient, path: string, fields: Record<string, string | string[]>, csrf: string | null = ui.csrf) {
  return app.http().post(path).set('Cookie', ui.cookie).type('form').send(formBody(csrf === null ? fields : { _csrf: csrf, ...fields }));
}

export const uiGet = (app: TestApp, ui: UiClient, path: string) => app.http().get(path).set('Cookie', ui.cookie);
