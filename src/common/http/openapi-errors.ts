import type { OpenAPIObject } from '@nestjs/swagger';
import { getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common/errors/error-response.dto';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Declares the error answer of every operation as ErrorResponseDto (its `default` response, where an
 * operation declares none): every route answers errors in that one shape (AllExceptionsFilter).
 * The document must have been created with ErrorResponseDto among its extra models.
 */
export function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const error = { description: 'Error (any 4xx or 5xx)', content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } } };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (operation) operation.responses = { default: error, ...operation.responses };
    }
  }
  return document;
}
