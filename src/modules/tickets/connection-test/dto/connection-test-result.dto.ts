import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BRIDGE_PERMISSIONS } from '@app/modules/jira/client';

export const CHECK_NAMES = ['auth', 'project', 'issueType', 'requiredFields', 'fields'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** What is checked of each route, in its own check named `route <name>: <aspect>`. */
export const ROUTE_CHECK_ASPECTS = ['project', 'issueType', 'requiredFields', 'fields'] as const;
export type RouteCheckAspect = (typeof ROUTE_CHECK_ASPECTS)[number];
export type RouteCheckName = `route ${string}: ${RouteCheckAspect}`;
export const routeCheckName = (route: string, aspect: RouteCheckAspect): RouteCheckName => `route ${route}: ${aspect}`;

export class ConnectionCheckDto {
  /** The top-level settings' checks (the default route), then each route's. */
  @ApiProperty({ type: String, description: `one of ${CHECK_NAMES.join(', ')}; then per route 'route <name>: <aspect>', aspect one of ${ROUTE_CHECK_ASPECTS.join(', ')}`, example: 'route mobile: project' })
  name: CheckName | RouteCheckName;

  @ApiProperty()
  ok: boolean;

  @ApiProperty({ example: 'Authenticated as Bot (bot@acme.com) on Jira Cloud' })
  detail: string;
}

/** The project rights the bridge uses, then `USER_PICKER` (whether user search finds anyone). */
export const PERMISSION_CHECK_NAMES = [...BRIDGE_PERMISSIONS, 'USER_PICKER'] as const;
export type PermissionCheckName = (typeof PERMISSION_CHECK_NAMES)[number];

export class PermissionCheckDto {
  @ApiProperty({ enum: PERMISSION_CHECK_NAMES })
  name: PermissionCheckName;

  /** False fails the test; a warning passes. */
  @ApiProperty()
  ok: boolean;

  @ApiPropertyOptional({ description: 'Passed, with a limitation the detail names' })
  warning?: boolean;

  @ApiProperty({ example: 'Create Issues on CHK' })
  detail: string;
}

export class ConnectionTestResultDto {
  /** True when every check passed. */
  @ApiProperty()
  ok: boolean;

  @ApiProperty({ type: [ConnectionCheckDto] })
  checks: ConnectionCheckDto[];

  /** One check per right the bridge needs on the project, and user search. */
  @ApiProperty({ type: [PermissionCheckDto] })
  permissions: PermissionCheckDto[];
}
