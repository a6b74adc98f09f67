import request from 'supertest';

export type ApiGroup = { fingerprint: string; ticket: { key: string; id: string; url: string } | null; [k: string]: any };

/** Anything that can send admin requests: a TestApp or a child service. */
export interface AdminApi {
  admin: (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) => request.Test;
}

/** All groups of a project through the paginated list (one query per page, light on the database). */
export async function listGroups(api: AdminApi, key: string): Promise<ApiGroup[]> {
  const all: ApiGroup[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: ApiGroup[]; nextCursor: string | null } } = await api
      .admin('get', `/api/v1/projects/${key}/groups?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      .expect(200);
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return all;
}
