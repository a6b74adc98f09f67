import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { badRequest } from '../../../common/errors/domain-error';
import { IngestGroupDto } from '../dto/ingest-group.dto';
import { MAX_BATCH } from './limits';

export type ParsedItem = { ok: true; report: IngestGroupDto } | { ok: false; fingerprint: string | null; errors: string[] };
export type ParsedBody = { batch: false; item: ParsedItem } | { batch: true; items: ParsedItem[] };

function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}${m}` : m));
    return [...own, ...messages(e.children ?? [], `${prefix}${e.property}.`)];
  });
}

function parseItem(raw: unknown, label: string): ParsedItem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, fingerprint: null, errors: [`${label} must be an object`] };
  }
  const report = plainToInstance(IngestGroupDto, raw, { enableImplicitConversion: false });
  const errors = validateSync(report, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const fp = (raw as { fingerprint?: unknown }).fingerprint;
  const fingerprint = typeof fp === 'string' ? fp.slice(0, 256) : null;
  if (errors.length > 0) return { ok: false, fingerprint, errors: messages(errors) };
  if (report.firstSeen && report.lastSeen && Date.parse(report.firstSeen) > Date.parse(report.lastSeen)) {
    return { ok: false, fingerprint, errors: ['firstSeen must not be after lastSeen'] };
  }
  return { ok: true, report };
}

/**
 * A body is one group or `{"groups": [...]}`. In a batch each item is validated on
 * its own, so one bad item does not reject the others; a body that is neither
 * shape is a 400.
 */
export function parseIngestBody(body: unknown): ParsedBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('INVALID_BODY', 'body must be a group object or {"groups": [...]}', 'body');
  }
  if ('groups' in body) {
    const groups = (body as { groups: unknown }).groups;
    const extra = Object.keys(body).filter((k) => k !== 'groups');
    if (extra.length > 0) throw badRequest('INVALID_BODY', `property ${extra[0]} should not exist next to groups`, extra[0]);
    if (!Array.isArray(groups)) throw badRequest('INVALID_BODY', 'groups must be an array', 'groups');
    if (groups.length === 0) throw badRequest('INVALID_BODY', 'groups must contain at least 1 item', 'groups');
    if (groups.length > MAX_BATCH) throw badRequest('BATCH_TOO_LARGE', `groups must contain at most ${MAX_BATCH} items`, 'groups');
    return { batch: true, items: groups.map((g, i) => parseItem(g, `groups[${i}]`)) };
  }
  return { batch: false, item: parseItem(body, 'body') };
}
