// Permission scheme of the bot: which rights it lacks, who cannot be assigned, whether it administers Jira.
// Default: every right, everyone assignable, site admin.
import { RestCtx, Route, ok, route } from './router';
import type { SimStore } from './store';
import { fail } from './util';

// Keys, ids and names as Jira's GET /permissions lists them.
export const PERMISSIONS = {
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', type: 'PROJECT', description: 'Ability to browse projects and the issues within them.' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', type: 'PROJECT', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.' },
  ASSIGN_ISSUES: { id: '13', name: 'Assign Issues', type: 'PROJECT', description: 'Ability to assign issues to other people.' },
  RESOLVE_ISSUES: { id: '14', name: 'Resolve Issues', type: 'PROJECT', description: 'Ability to resolve and reopen issues.' },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', type: 'PROJECT', description: 'Ability to comment on issues.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', type: 'PROJECT', description: 'Ability to delete issues.' },
  ASSIGNABLE_USER: { id: '17', name: 'Assignable User', type: 'PROJECT', description: 'Users with this permission may be assigned to issues.' },
  CLOSE_ISSUES: { id: '18', name: 'Close Issues', type: 'PROJECT', description: 'Ability to close issues.' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', type: 'PROJECT', description: 'Ability to transition issues.' },
  ADMINISTER_PROJECTS: { id: '23', name: 'Administer Projects', type: 'PROJECT', description: 'Ability to administer a project in Jira.' },
  USER_PICKER: { id: '27', name: 'Browse users and groups', type: 'GLOBAL', description: 'Ability to select a user or group from a popup window.' },
  ADMINISTER: { id: '0', name: 'Administer Jira', type: 'GLOBAL', description: 'Ability to perform most administration functions.' },
} as const;

export type PermissionKey = keyof typeof PERMISSIONS;

export interface SimPermissions {
  /** rights the bot lacks (ADMINISTER: it is not a site admin) */
  denied?: PermissionKey[];
  /** users (accountId on Cloud, name on Data Center) who lack ASSIGNABLE_USER */
  unassignable?: string[];
}

/** Jira's 403 messages per operation. */
export const FORBIDDEN = {
  CREATE_ISSUES: 'You do not have permission to create issues in this project.',
  EDIT_ISSUES: 'You do not have permission to edit issues in this project.',
  TRANSITION_ISSUES: 'You do not have permission to transition this issue.',
  ASSIGN_ISSUES: 'You do not have permission to assign issues.',
  ADD_COMMENTS: 'You do not have permission to comment on this issue.',
  DELETE_ISSUES: 'You do not have permission to delete issues in this project.',
  ADMINISTER: 'You are not authorized to perform this action. Administrator privileges are required.',
} as const;

export class PermissionScheme {
  private denied = new Set<PermissionKey>();
  private unassignable = new Set<string>();

  set(p: SimPermissions): void {
    for (const k of p.denied ?? []) if (!(k in PERMISSIONS)) throw new Error(`Unknown permission '${String(k)}'`);
    this.denied = new Set(p.denied ?? []);
    this.unassignable = new Set((p.unassignable ?? []).map((u) => u.toLowerCase()));
  }

  has(key: PermissionKey): boolean {
    return !this.denied.has(key);
  }

  /** 403 with Jira's message when the bot lacks the right. */
  require(key: keyof typeof FORBIDDEN): void {
    if (!this.has(key)) fail(403, FORBIDDEN[key]);
  }

  assignable(...refs: string[]): boolean {
    return !refs.some((r) => this.unassignable.has(r.toLowerCase()));
  }
}

/** GET /mypermissions?projectKey=…&permissions=A,B (Cloud requires `permissions`; Data Center lists all without it). */
function myPermissions(c: RestCtx) {
  const scheme = c.store.permissions;
  const projectRef = c.query.get('projectKey') ?? c.query.get('projectId');
  if (projectRef && (!c.store.project(projectRef) || !scheme.has('BROWSE_PROJECTS'))) fail(404, `No project could be found with key '${projectRef}'.`);
  const wanted = c.query.get('permissions');
  if (!wanted && c.store.flavour === 'cloud') fail(400, 'The permissions query parameter is required.');
  const keys = wanted ? wanted.split(',').map((k) => k.trim()).filter(Boolean) : Object.keys(PERMISSIONS);
  const unknown = keys.filter((k) => !(k in PERMISSIONS));
  if (unknown.length) fail(400, `Invalid permission key(s): ${unknown.join(', ')}`);
  const permissions = Object.fromEntries(
    keys.map((key) => [key, { ...PERMISSIONS[key as PermissionKey], key, havePermission: scheme.has(key as PermissionKey) }]),
  );
  return ok({ permissions });
}

export const permissionRoutes: Route[] = [route('GET', '/mypermissions', myPermissions, { v3: true })];

export function canBrowse(store: SimStore): boolean {
  return store.permissions.has('BROWSE_PROJECTS');
}

/** Versions are managed by project admins, or by a site admin ("Administer Jira" or "Administer Projects"). */
export function canAdministerProject(store: SimStore): boolean {
  return store.permissions.has('ADMINISTER_PROJECTS') || store.permissions.has('ADMINISTER');
}
