import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';

export interface UnknownResolution {
  /** The settings path, e.g. `statusMapping[2].resolution`. */
  field: string;
  message: string;
}

/**
 * The `resolution` names of statusMapping entries that Jira does not have (compared as Jira
 * does, case-insensitively). A transition screen offers a subset of the site's resolutions,
 * so a name missing from the whole site can never be set.
 */
export function unknownResolutions(mapping: StatusMappingEntry[] | undefined, jiraNames: string[]): UnknownResolution[] {
  const known = new Set(jiraNames.map((n) => n.toLowerCase()));
  const offered = jiraNames.join(', ') || 'none';
  return (mapping ?? []).flatMap((e, i) =>
    e.resolution === undefined || known.has(e.resolution.toLowerCase())
      ? []
      : [{ field: `statusMapping[${i}].resolution`, message: `Jira has no resolution '${e.resolution}' (for status '${e.jiraStatus}'; Jira offers: ${offered})` }],
  );
}

export const mapsResolutions = (mapping: StatusMappingEntry[] | undefined): boolean => (mapping ?? []).some((e) => e.resolution !== undefined);
