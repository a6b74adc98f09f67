import { badRequest } from '@app/common/errors/domain-error';
import { FeedPosition } from '@app/database/repositories/group-change.repository';

const PREFIX = 'c2.';
const NUMBER = '(0|[1-9][0-9]{0,18})';

/**
 * Cursors are opaque to consumers: base64url of a versioned place in the project's feed (the commit's number and the
 * row's id). Neither ever changes or is reused, so a cursor stays valid as long as the consumer likes; after the
 * retention window the changes it skipped over are gone, but reading on from it still works.
 */
export function encodeCursor(p: FeedPosition): string {
  return Buffer.from(`${PREFIX}${p.seq}.${p.id}`, 'utf8').toString('base64url');
}

/** The place a cursor names (the start of the feed for none); a cursor we did not hand out is a 400 naming `after`. */
export function decodeCursor(after: string | undefined): FeedPosition {
  if (after === undefined || after === '') return { seq: '0', id: '0' };
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(after) ? Buffer.from(after, 'base64url').toString('utf8') : '';
  const m = new RegExp(`^${PREFIX.replace('.', '\\.')}${NUMBER}\\.${NUMBER}$`).exec(text);
  const p = m ? { seq: m[1], id: m[2] } : null;
  if (!p || BigInt(p.seq) > 9223372036854775807n || BigInt(p.id) > 9223372036854775807n || encodeCursor(p) !== after) {
    throw badRequest('INVALID_CURSOR', 'after must be a cursor a previous page of this feed returned', 'after');
  }
  return p;
}
