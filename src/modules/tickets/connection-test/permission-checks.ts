import { BRIDGE_PERMISSIONS, BridgePermission, JiraClient, JiraUser } from '@app/modules/jira/client';
import { JiraSettings } from '@app/modules/jira-settings/jira-settings';
import { describeFailure } from './check-details';
import { PermissionCheckDto, PermissionCheckName } from './dto/connection-test-result.dto';

/** What the bridge cannot do without each right. */
const NEEDED_FOR: Record<BridgePermission, string> = {
  BROWSE_PROJECTS: 'see the project and its issues',
  CREATE_ISSUES: 'create tickets',
  EDIT_ISSUES: 'edit issues',
  TRANSITION_ISSUES: 'move issues to the mapped statuses',
  ASSIGN_ISSUES: 'sync assignees',
  ADD_COMMENTS: 'comment on regressions',
};

/** Every permission check failed with the same reason (an earlier check failed). */
export function skippedPermissionChecks(reason: string): PermissionCheckDto[] {
  return [...BRIDGE_PERMISSIONS, 'USER_PICKER' as const].map((name) => ({ name, ok: false, detail: `skipped: ${reason}` }));
}

/**
 * One check per right the bridge uses on the project (`GET mypermissions`), then whether user
 * search finds the account itself. Search finding nobody means no "Browse users and groups":
 * auto-mapping by email cannot work, but tickets and sync do, so that one is a warning.
 */
export async function permissionChecks(client: JiraClient, settings: JiraSettings, me: JiraUser): Promise<PermissionCheckDto[]> {
  const key = settings.projectKey;
  const checks: PermissionCheckDto[] = [];
  try {
    const rights = await client.myPermissions(key, BRIDGE_PERMISSIONS);
    for (const name of BRIDGE_PERMISSIONS) {
      const right = rights[name];
      const label = right?.name ?? name;
      if (!right) checks.push({ name, ok: false, detail: `Jira did not report '${name}' on ${key}` });
      else if (right.havePermission) checks.push({ name, ok: true, detail: `${label} on ${key}` });
      else checks.push({ name, ok: false, detail: `the account lacks '${label}' on ${key}: the bridge cannot ${NEEDED_FOR[name]}; grant it in the project's permission scheme` });
    }
  } catch (e) {
    const detail = describeFailure(e, settings.apiUrl);
    for (const name of BRIDGE_PERMISSIONS) checks.push({ name, ok: false, detail: `could not read the permissions: ${detail}` });
  }
  checks.push(await userSearchCheck(client, settings, me));
  return checks;
}

async function userSearchCheck(client: JiraClient, settings: JiraSettings, me: JiraUser): Promise<PermissionCheckDto> {
  const name: PermissionCheckName = 'USER_PICKER';
  const consequence = settings.autoMapUsersByEmail ? 'auto-mapping users by email will not work; map people under User mapping' : 'only User mapping can map people';
  try {
    if (await client.userSearchFinds(me)) return { name, ok: true, detail: 'user search works (Browse users and groups): users can be mapped by email' };
    return { name, ok: true, warning: true, detail: `warning: user search finds nobody, so the account lacks 'Browse users and groups': ${consequence}` };
  } catch (e) {
    return { name, ok: true, warning: true, detail: `warning: user search failed (${describeFailure(e, settings.apiUrl)}): ${consequence}` };
  }
}
