// The activity entry of a merge that folded attribute values into "(other)".
import { AttributeHistograms, MAX_ATTRIBUTES_BYTES, MAX_VALUES_PER_ATTRIBUTE } from '@app/database/entities';
import { OTHER_VALUE } from '@app/modules/ingest-body/limits';
import { NewActivity } from '@app/modules/activity/activity.service';

/** Attribute names an entry spells out; the rest are counted. */
const NAMED = 10;
const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * One entry for the attributes a request folded for the first time (they had no "(other)"
 * before): a group folding on every report, at its limits, says so once per attribute.
 */
export function foldNotice(g: { projectId: string; fingerprint: string; attributes: AttributeHistograms }, folded: Set<string>): NewActivity | null {
  const first = [...folded].filter((name) => !has(g.attributes, name) || !has(g.attributes[name], OTHER_VALUE));
  if (first.length === 0) return null;
  const named = first.slice(0, NAMED);
  const more = first.length - named.length;
  return {
    projectId: g.projectId,
    fingerprint: g.fingerprint,
    kind: 'attributes.folded',
    source: 'ingest',
    detail:
      `The rarest values of ${named.join(', ')}${more > 0 ? ` and ${more} more attribute(s)` : ''} were folded into "${OTHER_VALUE}" ` +
      `(a group keeps ${MAX_VALUES_PER_ATTRIBUTE} values per attribute and ${MAX_ATTRIBUTES_BYTES / 1024} KiB of attributes); their counts are kept`,
    data: { attributes: named, more, maxValuesPerAttribute: MAX_VALUES_PER_ATTRIBUTE, maxBytes: MAX_ATTRIBUTES_BYTES },
  };
}
