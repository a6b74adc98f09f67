import { IsString, Length, Matches } from 'class-validator';

export const PROJECT_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export class CreateProjectDto {
  /** Lowercase letters, digits and dashes; 2 to 63 characters. */
  @IsString()
  @Matches(PROJECT_KEY_PATTERN, { message: 'key must match ^[a-z0-9][a-z0-9-]{1,62}$ (lowercase letters, digits, dashes)' })
  key: string;

  @IsString()
  @Length(1, 200)
  name: string;
}
