import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The nextBefore of the previous page' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  before?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class DeliveryAttemptDto {
  @ApiProperty({ description: 'The attempt, newest first' })
  id: string;
  @ApiProperty({ description: 'Sent as X-Crashbridge-Delivery' })
  deliveryId: string;
  @ApiProperty({ description: 'The event (its id in the body)' })
  eventId: string;
  @ApiProperty()
  type: string;
  @ApiProperty()
  fingerprint: string;
  @ApiProperty({ enum: ['delivered', 'failed', 'given_up'] })
  outcome: string;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's HTTP status, null when none came" })
  httpStatus: number | null;
  @ApiProperty({ type: String, nullable: true })
  error: string | null;
  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class DeliveriesPageDto {
  @ApiProperty({ type: [DeliveryAttemptDto] })
  items: DeliveryAttemptDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `before` for older attempts; null at the end' })
  nextBefore: number | null;
}
