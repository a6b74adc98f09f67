import { Injectable } from '@nestjs/common';
import { SingleFlight } from '@app/common/single-flight';
import { AttributeHistograms } from '@app/database/entities';
import { NewActivity } from '@app/modules/activity/activity.service';
import {
  JiraClient, JiraCreateMetaField, JiraCreatedIssue, JiraError, JiraVersion, isJiraError, isVersionNameTaken,
} from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { permissionRefusal } from '../jira-failure';
import { affectedVersionNames } from './affected-version-names';

/** Activity kind of what the versions setting could not do for a ticket (the ticket is created all the same). */
export const VERSIONS_ACTIVITY = 'ticket.versions';

export type VersionProblem = 'not-on-screen' | 'unreadable' | 'missing' | 'archived' | 'refused' | 'refused-on-create';

/** One activity entry: the names left out for one reason. */
export interface VersionNote {
  detail: string;
  data: { reason: VersionProblem; names: string[]; messages?: string[] };
}

/** What the versions setting gives one ticket. */
export interface AffectedVersions {
  /** The `versions` value of the create body (Jira ids); undefined: the field is left out. */
  field?: Array<{ id: string }>;
  /** The names behind `field`, in its order. */
  names: string[];
  notes: VersionNote[];
}

/** Where the ticket goes: the Jira project, the issue type and its create screen. */
export interface VersionTarget {
  projectKey: string;
  issueType: string;
  createFields: JiraCreateMetaField[];
}

const NONE: AffectedVersions = { names: [], notes: [] };

/**
 * Fills Jira's Affects versions from a group's version attribute (`settings.versions`). Names the project lacks
 * are created first with `createMissing`, once per site, project and name however many jobs need one at the same
 * time (one shared request in this process; another process's twin finds the name taken and reads the list).
 * A job run again finds the version it made in the list, so it never makes a second. Whatever Jira refuses is
 * left out and named in the activity log; the ticket is created all the same.
 */
@Injectable()
export class AffectedVersionsService {
  private readonly creating = new SingleFlight<JiraVersion | Refusal>();

  async resolve(client: JiraClient, settings: Pick<JiraSettings, 'versions' | 'fixVersionSync'>, target: VersionTarget, attributes: AttributeHistograms): Promise<AffectedVersions> {
    const names = affectedVersionNames(attributes[settings.fixVersionSync.versionAttribute], settings.versions.affects);
    if (names.length === 0) return NONE;
    const { projectKey } = target;
    if (!target.createFields.some((f) => f.fieldId === 'versions')) {
      return { names: [], notes: [note('not-on-screen', names, `the field is not on the create screen of ${target.issueType} in ${projectKey}`)] };
    }
    const listed = await refusalOr(() => client.getProjectVersions(projectKey));
    if (listed instanceof Refusal) {
      return { names: [], notes: [note('unreadable', names, `Jira refused to list the versions of ${projectKey}: ${listed.message}`, [listed.message])] };
    }

    const chosen = new Map<string, JiraVersion>();
    const archived: string[] = [];
    const missing: string[] = [];
    for (const name of names) {
      const found = named(listed, name);
      if (!found) missing.push(name);
      else if (found.archived) archived.push(name);
      else chosen.set(name, found);
    }
    const notes: VersionNote[] = [];
    if (archived.length) notes.push(note('archived', archived, `archived in ${projectKey}`));
    if (missing.length && !settings.versions.createMissing) {
      notes.push(note('missing', missing, `not versions of ${projectKey}, and versions.createMissing is off`));
    } else if (missing.length) {
      const refused = await this.createMissing(client, projectKey, missing, chosen);
      if (refused.length) {
        const messages = refused.map((r) => `${short(r.name)}: ${r.message}`);
        notes.push(note('refused', refused.map((r) => r.name), `Jira refused to create them (${messages.join('; ')})`, refused.map((r) => r.message)));
      }
    }
    const kept = names.filter((n) => chosen.has(n));
    return { field: kept.length ? kept.map((n) => ({ id: chosen.get(n)!.id })) : undefined, names: kept, notes };
  }

  /**
   * `POST issue`; when Jira refuses the versions (400 on `versions`: one archived or deleted since the list was
   * read), once more without them. Nothing was created by the refused call, so the ticket is still made once.
   */
  async createIssue(client: JiraClient, fields: Record<string, unknown>, versions: AffectedVersions): Promise<{ created: JiraCreatedIssue; notes: VersionNote[] }> {
    try {
      return { created: await client.createIssue(fields), notes: versions.notes };
    } catch (err) {
      const refusal = isJiraError(err, 'bad_request') ? err.errors.versions : undefined;
      // Only the versions this setting chose are dropped: ones a custom field template sets are the template's to fix.
      if (!refusal || !versions.field || JSON.stringify(fields.versions) !== JSON.stringify(versions.field)) throw err;
      const without = { ...fields };
      delete without.versions;
      const created = await client.createIssue(without);
      return { created, notes: [...versions.notes, note('refused-on-create', versions.names, `Jira refused them on create (${refusal})`, [refusal])] };
    }
  }

  /** Creates each missing name (sets `chosen`); answers the names Jira refused, with its reason. */
  private async createMissing(client: JiraClient, projectKey: string, missing: string[], chosen: Map<string, JiraVersion>): Promise<Array<{ name: string; message: string }>> {
    const refused: Array<{ name: string; message: string }> = [];
    for (const name of missing) {
      const key = `${client.apiUrl}\u0000${projectKey}\u0000${name.toLowerCase()}`;
      const made = await this.creating.run(key, () => refusalOr(() => this.createOnce(client, projectKey, name)));
      if (made instanceof Refusal) refused.push({ name, message: made.message });
      else if (made.archived) refused.push({ name, message: `archived in ${projectKey}` });
      else chosen.set(name, made);
    }
    return refused;
  }

  /**
   * The list first: the caller's may predate a run for the same name that has ended since. Jira's 400 "already
   * exists" means another process (or a person) made it in between; the list has it then.
   */
  private async createOnce(client: JiraClient, projectKey: string, name: string): Promise<JiraVersion | Refusal> {
    const listed = named(await client.getProjectVersions(projectKey), name);
    if (listed) return listed;
    const project = await client.getProject(projectKey);
    if (!project) return new Refusal(`project ${projectKey} not found`);
    try {
      return await client.createVersion(project.id, name);
    } catch (err) {
      if (!isVersionNameTaken(err)) throw err;
      const found = named(await client.getProjectVersions(projectKey), name);
      if (found) return found;
      throw err;
    }
  }
}

/** The activity entries of a ticket's notes, recorded with the ticket so that each is written once. */
export function versionActivities(where: { projectId: string; fingerprint: string }, notes: VersionNote[]): NewActivity[] {
  return notes.map((n) => ({ projectId: where.projectId, fingerprint: where.fingerprint, kind: VERSIONS_ACTIVITY, source: 'worker', detail: n.detail, data: n.data }));
}

/** Jira's version names are unique within a project in any letter case. */
function named(versions: JiraVersion[], name: string): JiraVersion | undefined {
  const wanted = name.toLowerCase();
  return versions.find((v) => v.name.trim().toLowerCase() === wanted);
}

function note(reason: VersionProblem, names: string[], why: string, messages?: string[]): VersionNote {
  const list = names.map((n) => `'${short(n)}'`).join(', ');
  const detail = reason === 'not-on-screen' || reason === 'unreadable' ? `Affects versions not set (${list}): ${why}` : `Affects versions without ${list}: ${why}`;
  return { detail, data: { reason, names, ...(messages ? { messages } : {}) } };
}

/** A name as the activity log shows it: long ones cut (the entry's data has them whole). */
function short(name: string): string {
  return name.length > 60 ? `${name.slice(0, 59)}…` : name;
}

/** A refusal Jira will repeat (a 4xx); anything else (outage, rate limit, credentials, lost answer) is thrown. */
class Refusal {
  constructor(readonly message: string) {}
}

async function refusalOr<T>(call: () => Promise<T | Refusal>): Promise<T | Refusal> {
  try {
    return await call();
  } catch (err) {
    if (!isRefusal(err)) throw err;
    return new Refusal(permissionRefusal(err) ?? err.message);
  }
}

function isRefusal(err: unknown): err is JiraError {
  return isJiraError(err) && ['bad_request', 'forbidden', 'not_found', 'conflict', 'gone'].includes(err.kind);
}
