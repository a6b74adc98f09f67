import type { JiraTransition } from '@app/modules/jira/client/jira-types';
import { StatusMappingEntry } from '@app/modules/jira-settings/jira-settings';
import { sameName } from '@app/modules/sync/mapping/state-mapping';

/** Resolutions taken, in this order, when a screen requires one and the mapping names none. */
const DEFAULT_RESOLUTIONS = ['Done', 'Fixed'];

/** What a transition's screen needs from us: the fields to send, or the field we cannot fill and why. */
export type ScreenFill = { fields: Record<string, unknown> } | { field: string; problem: string };

/**
 * Fills a transition's screen (read with `expand=transitions.fields`). The resolution is the one the
 * status mapping names for the target status, else (when the screen requires one) Done, Fixed, then the
 * first offered. A mapped resolution the screen does not offer is refused rather than replaced: the
 * person who configured it meant that one. Any other required field without a default cannot be filled
 * here. A field off the screen is never sent (Jira answers "cannot be set").
 */
export function fillScreen(t: JiraTransition, mapping: StatusMappingEntry[]): ScreenFill {
  const fields: Record<string, unknown> = {};
  const wanted = mapping.find((m) => m.resolution && sameName(m.jiraStatus, t.to.name))?.resolution;
  for (const [id, f] of Object.entries(t.fields ?? {})) {
    if (id === 'resolution') {
      const offered = f.allowedValues;
      if (wanted) {
        const hit = offered ? offered.find((v) => sameName(v.name, wanted)) : { id: '', name: wanted };
        if (!hit) return { field: f.name, problem: `resolution '${wanted}' is not offered (offered: ${offered!.map((v) => v.name).join(', ') || 'none'})` };
        fields.resolution = hit.id ? { id: hit.id } : { name: hit.name };
        continue;
      }
      if (!f.required || f.hasDefaultValue) continue;
      const pick = DEFAULT_RESOLUTIONS.map((n) => offered?.find((v) => sameName(v.name, n))).find(Boolean) ?? offered?.[0];
      if (!pick) return { field: f.name, problem: 'it is required and offers no value' };
      fields.resolution = pick.id ? { id: pick.id } : { name: pick.name };
    } else if (f.required && !f.hasDefaultValue) {
      return { field: f.name, problem: 'it is required and the bridge has no value for it' };
    }
  }
  return { fields };
}
