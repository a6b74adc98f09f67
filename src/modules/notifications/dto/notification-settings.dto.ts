import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Length, MaxLength } from 'class-validator';
import { CHANGE_TYPES } from '@app/database/repositories/group-change.repository';

export class PutNotificationsDto {
  @ApiProperty({ example: 'https://errors.example.com/hooks/crashbridge', maxLength: 2048, description: 'http(s); the same egress rules as the Jira apiUrl' })
  @IsString() @MaxLength(2048) @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url: string;

  @ApiPropertyOptional({ minLength: 16, maxLength: 256, writeOnly: true, description: 'Signs every event (HMAC-SHA256); required the first time, kept when omitted' })
  @IsOptional() @IsString() @Length(16, 256)
  secret?: string;

  @ApiProperty({ type: [String], enum: CHANGE_TYPES, minItems: 1, description: 'The change types to send' })
  @IsArray() @ArrayMinSize(1, { message: 'events must name at least one change type' }) @ArrayMaxSize(CHANGE_TYPES.length) @ArrayUnique() @IsIn(CHANGE_TYPES, { each: true })
  events: string[];
}

export class NotificationSettingsDto {
  @ApiProperty()
  url: string;
  @ApiProperty({ type: [String], enum: CHANGE_TYPES })
  events: string[];
  @ApiProperty({ description: 'A secret is stored and readable (it is never shown)' })
  secretSet: boolean;
  @ApiPropertyOptional({ description: 'Why the stored secret cannot be read (after ENCRYPTION_KEY changed); deliveries fail until it is saved again' })
  secretProblem?: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
