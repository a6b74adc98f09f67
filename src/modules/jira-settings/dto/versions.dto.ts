import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { VersionSettings } from '@app/modules/jira-settings/jira-settings';
import { IsOptionalNotNull } from './validators';

export const AFFECTS_VERSIONS: ReadonlyArray<VersionSettings['affects']> = ['top', 'all', 'none'];

/** Jira's Affects Version/s from the group's version attribute (fixVersionSync.versionAttribute). A partial object is completed from the defaults. */
export class VersionsDto {
  /** `top`: the group's top version; `all`: every version seen; `none` (default): the field is left alone. */
  @ApiPropertyOptional({ enum: AFFECTS_VERSIONS, default: 'none' })
  @IsOptionalNotNull() @IsIn(AFFECTS_VERSIONS, { message: `affects must be one of ${AFFECTS_VERSIONS.map((a) => `"${a}"`).join(', ')}` })
  affects?: VersionSettings['affects'];

  /** Create a version the Jira project lacks before the issue (default false). */
  @ApiPropertyOptional({ default: false })
  @IsOptionalNotNull() @IsBoolean()
  createMissing?: boolean;
}
