import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODE_LIST, ERROR_CODES, ErrorCode } from './error-codes';

/** The body of every error answer (AllExceptionsFilter): NestJS's shape plus a stable `code` when the failure has one. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found', description: 'The HTTP status text' })
  error!: string;

  @ApiProperty({ type: [String], example: ["project 'web' not found"], description: 'What is wrong, one entry per problem' })
  message!: string[];

  @ApiPropertyOptional({
    enum: ERROR_CODE_LIST,
    description: `A stable code for expected failures:\n${ERROR_CODE_LIST.map((c) => `- ${c}: ${ERROR_CODES[c]}`).join('\n')}`,
  })
  code?: ErrorCode;
}
