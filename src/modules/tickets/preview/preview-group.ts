import { badRequest } from '@app/common/errors/domain-error';
import { ProjectEntity } from '@app/database/entities';
import { normalizeAttributes } from '@app/modules/ingest-body/attribute-histograms';
import { reportTimes } from '@app/modules/ingest-body/merge-report';
import { parseIngestBody } from '@app/modules/ingest-body/parse-ingest-body';
import { IngestGroupDto } from '@app/modules/ingest-body/ingest-group.dto';
import { TemplateGroup } from '@app/modules/templates';
import { PreviewRequestDto } from '@app/modules/tickets/preview/dto/preview-request.dto';

export type PreviewSource = { kind: 'stored'; fingerprint: string } | { kind: 'inline'; report: IngestGroupDto };

/** Which group to preview; an inline group is validated exactly like ingestion, with `group.` in front of each field. */
export function parsePreviewSource(dto: PreviewRequestDto): PreviewSource {
  const hasFp = dto.fingerprint !== undefined && dto.fingerprint !== null;
  const hasGroup = dto.group !== undefined && dto.group !== null;
  if (hasFp === hasGroup) {
    throw badRequest('INVALID_PREVIEW_REQUEST', 'send either fingerprint (a stored group) or group (a group as ingested), not both or neither', hasFp ? 'group' : 'fingerprint');
  }
  if (hasFp) return { kind: 'stored', fingerprint: dto.fingerprint as string };
  // A batch is valid ingestion input, but a preview is of one group.
  const notOne = () => badRequest('INVALID_GROUP', 'group must be one group, not {"groups": [...]}', 'group');
  if ('groups' in (dto.group as object)) throw notOne();
  const parsed = parseIngestBody(dto.group);
  if (parsed.batch) throw notOne();
  if (!parsed.item.ok) throw badRequest('INVALID_GROUP', parsed.item.errors.map((m) => `group.${m}`).join('; '), 'group');
  return { kind: 'inline', report: parsed.item.report };
}

/**
 * An inline group as if it were the first report of a new group (what a ticket for it
 * would show), even when a stored group has that fingerprint: the preview is of the body.
 */
export function inlineTemplateGroup(r: IngestGroupDto, project: ProjectEntity, now: Date): TemplateGroup {
  const count = r.count ?? 1;
  const t = reportTimes(r, now);
  return {
    fingerprint: r.fingerprint,
    title: r.title || r.fingerprint,
    callstack: r.callstack ?? [],
    classifiers: r.classifiers ?? [],
    count,
    firstSeen: t.firstSeen.toISOString(),
    lastSeen: t.lastSeen.toISOString(),
    link: r.link ?? null,
    state: 'open',
    attributes: normalizeAttributes(r.attributes, count),
    project: { key: project.key, name: project.name },
  };
}
