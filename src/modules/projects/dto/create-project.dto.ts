import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export const PROJECT_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export class CreateProjectDto {
  /** Lowercase letters, digits and dashes; 2 to 63 characters. */
  @ApiProperty({ pattern: PROJECT_KEY_PATTERN.source, example: 'checkout-web', description: 'Lowercase letters, digits and dashes; 2 to 63 characters' })
  @IsString()
  @Matches(PROJECT_KEY_PATTERN, { message: 'key must match ^[a-z0-9][a-z0-9-]{1,62}$ (lowercase letters, digits, dashes)' })
  key: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Checkout (web)' })
  @IsString()
  @Length(1, 200)
  name: string;
}
