import { ApiProperty } from '@nestjs/swagger';
import { ResyncReport } from '@app/modules/sync/resync/resync.service';

/** POST …/integrations/jira/resync: what one reconciliation did. */
export class ResyncReportDto implements ResyncReport {
  @ApiProperty({ type: 'integer', description: 'Linked issues read from Jira' })
  read: number;
  @ApiProperty({ type: 'integer', description: 'Group changes applied' })
  changed: number;
  @ApiProperty({ type: 'integer', description: 'Groups whose issue is gone from Jira, unlinked' })
  unlinked: number;
  @ApiProperty({ type: 'integer', description: 'Issues read but not reconciled (activity resync.skipped says why)' })
  skipped: number;
}
