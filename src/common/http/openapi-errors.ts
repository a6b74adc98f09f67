import { STATUS_CODES } from 'node:http';
import { applyDecorators } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { OperationObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorResponseDto } from '@app/common/errors/error-response.dto';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const errorAnswer = (description: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } },
});

/**
 * The route's own error answers (domain errors, validation), each in the ErrorResponseDto shape. The
 * answers every route of a kind gives are added by withErrorResponses.
 */
export function ApiErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: STATUS_CODES[status], type: ErrorResponseDto })));
}

/** The error answers every operation of a kind gives, from the app-wide guards, body reader and filter. */
function commonErrors(operation: OperationObject, method: string): Record<string, ResponseObject> {
  const answers: Record<string, ResponseObject> = {};
  // The routes that read the database to answer: the authenticated ones (tokens are looked up) and those taking a body.
  if (operation.security?.length || operation.requestBody) {
    answers[503] = errorAnswer('Service Unavailable: the database cannot be reached; retry later');
  }
  if (operation.security?.length) {
    answers[401] = errorAnswer('Unauthorized: no token, or not a valid one');
    answers[403] = errorAnswer('Forbidden: an ingest token on the admin API, or on another project');
    answers[429] = errorAnswer('Too Many Requests: too many invalid tokens from this address');
  }
  // Every route decodes its path parameters and reads a body when one is sent (json-body.ts), whatever its method.
  const readsBody = method === 'post' || method === 'put' || method === 'patch';
  answers[400] = errorAnswer(
    readsBody
      ? 'Bad Request: the body is not valid JSON or not of the expected form (the message names the field), or a path parameter is not valid percent-encoding'
      : 'Bad Request: a path parameter is not valid percent-encoding, or a body was sent that is not valid JSON',
  );
  answers[413] = errorAnswer('Payload Too Large: the body exceeds the route\'s limit');
  answers[415] = errorAnswer('Unsupported Media Type: a charset or Content-Encoding the body reader does not read');
  return answers;
}

/**
 * Declares the error answers of every operation as ErrorResponseDto: the statuses every route of
 * its kind can give (commonErrors), where the operation does not declare them itself, and any other
 * (e.g. an unexpected 500) as its `default` response. Every route answers errors in that one shape
 * (AllExceptionsFilter). The document must have been created with ErrorResponseDto among its extra models.
 */
export function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (operation) {
        operation.responses = { default: errorAnswer('Error (any other 4xx or 5xx)'), ...commonErrors(operation, method), ...operation.responses };
      }
    }
  }
  return document;
}
