import { ApiProperty } from '@nestjs/swagger';

/** 202: the issue is being created in the background; the group shows it once done. */
export class TicketPendingDto {
  @ApiProperty({ enum: [true] })
  pending: true;
}
