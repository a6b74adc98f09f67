import { ErrorGroupEntity, ProjectEntity } from '@app/database/entities';
import { TemplateGroup } from '@app/modules/templates';

/** A stored group as the template engine sees it. */
export function toTemplateGroup(g: ErrorGroupEntity, project: Pick<ProjectEntity, 'key' | 'name'>): TemplateGroup {
  return {
    fingerprint: g.fingerprint,
    title: g.title,
    callstack: g.callstack,
    classifiers: g.classifiers,
    count: g.count,
    firstSeen: g.firstSeen.toISOString(),
    lastSeen: g.lastSeen.toISOString(),
    link: g.link,
    state: g.state,
    attributes: g.attributes,
    project: { key: project.key, name: project.name },
  };
}
