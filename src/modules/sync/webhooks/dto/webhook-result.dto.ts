import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The answer to an accepted delivery: applied (or queued), a repeat, or an event this bridge does not use. */
export class WebhookResultDto {
  @ApiProperty({ enum: ['accepted', 'duplicate', 'ignored'] })
  status: 'accepted' | 'duplicate' | 'ignored';
  @ApiPropertyOptional({ description: 'ignored: why' })
  reason?: string;
}
