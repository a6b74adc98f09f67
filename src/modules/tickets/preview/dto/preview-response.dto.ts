import { ApiProperty } from '@nestjs/swagger';

export class PreviewFieldErrorDto {
  /** Jira field id when it resolved, else the reference as written in the settings. */
  @ApiProperty()
  field: string;

  @ApiProperty()
  message: string;
}

export class PreviewResponseDto {
  /** The route previewed: the one asked for, else the one the group's conditions select ('default': the top-level settings). */
  @ApiProperty({ example: 'default' })
  route: string;

  /** The exact `fields` object the ticket creator would POST to /issue, marker label included. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  fields: Record<string, unknown>;

  /** Everything worth a look, errors included (as text), e.g. "unknown attribute $platfrom". */
  @ApiProperty({ type: [String] })
  warnings: string[];

  /** Values that would fail the ticket (a field that cannot be resolved or coerced, a template error). */
  @ApiProperty({ type: [PreviewFieldErrorDto] })
  errors: PreviewFieldErrorDto[];
}
