import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseIngestBody } from '@app/modules/ingest-body/parse-ingest-body';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';

// ISO 8601 forms that class-validator's IsISO8601 accepts but Date cannot read: ingestion
// computed with the Invalid Date and answered 500 (found by test/e2e/fuzz.e2e-spec.ts).
const dtoMessages = (raw: object) =>
  validateSync(plainToInstance(IngestGroupDto, raw), { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) => Object.values(e.constraints ?? {}));
const fastMessages = (raw: object) => {
  const parsed = parseIngestBody(raw);
  if (parsed.batch) throw new Error('not a single item');
  return parsed.item.ok ? [] : parsed.item.errors;
};

describe('report dates Date cannot read', () => {
  it.each(['20261120T100000Z', '2026-W47-1', '2026-324', '2026-W47'])('refuses %s, naming the field, in both validators', (date) => {
    for (const prop of ['firstSeen', 'lastSeen']) {
      const raw = { fingerprint: 'fp', [prop]: date };
      const expected = [`${prop} must be a date and time in the extended format, e.g. 2026-11-20T10:00:00Z`];
      expect(fastMessages(raw)).toEqual(expected);
      expect(dtoMessages(raw)).toEqual(expected);
    }
  });

  it.each(['2026-11-20T10:00:00Z', '2026-11-20', '2026-11-20T10:00:00.123456789+02:00'])('accepts %s', (date) => {
    expect(fastMessages({ fingerprint: 'fp', lastSeen: date })).toEqual([]);
    expect(dtoMessages({ fingerprint: 'fp', lastSeen: date })).toEqual([]);
  });

  it('keeps the ISO 8601 message for what is no ISO date at all', () => {
    expect(fastMessages({ fingerprint: 'fp', lastSeen: 'soon' })).toEqual(['lastSeen must be a valid ISO 8601 date string']);
    expect(dtoMessages({ fingerprint: 'fp', lastSeen: 'soon' })).toEqual(['lastSeen must be a valid ISO 8601 date string']);
  });
});
