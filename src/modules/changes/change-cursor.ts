import { badRequest } from '@app/common/errors/domain-error';

const PREFIX = 'c1.';

/**
 * Cursors are opaque to consumers: base64url of a versioned position in the project's feed. A position is a change's
 * number in commit order, which never changes and is never reused, so a cursor stays valid as long as the consumer
 * likes; after the retention window the changes it skipped over are gone, but reading on from it still works.
 */
export function encodeCursor(seq: string): string {
  return Buffer.from(`${PREFIX}${seq}`, 'utf8').toString('base64url');
}

/** The position a cursor names ('0' for none: the start of the feed); a cursor we did not hand out is a 400 naming `after`. */
export function decodeCursor(after: string | undefined): string {
  if (after === undefined || after === '') return '0';
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(after) ? Buffer.from(after, 'base64url').toString('utf8') : '';
  const seq = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  if (!/^(0|[1-9][0-9]{0,17})$/.test(seq) || encodeCursor(seq) !== after) {
    throw badRequest('INVALID_CURSOR', 'after must be a cursor a previous page of this feed returned', 'after');
  }
  return seq;
}
