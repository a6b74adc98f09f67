import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-codes';

/**
 * An expected failure with a stable code; the exception filter maps it to
 * NestJS's error shape plus `code`. `field` names the offending input when known.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: HttpStatus,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (code: ErrorCode, message: string) => new DomainError(code, HttpStatus.NOT_FOUND, message);
export const conflict = (code: ErrorCode, message: string, field?: string) =>
  new DomainError(code, HttpStatus.CONFLICT, message, field);
export const badRequest = (code: ErrorCode, message: string, field?: string) =>
  new DomainError(code, HttpStatus.BAD_REQUEST, message, field);
export const unprocessable = (code: ErrorCode, message: string, field?: string) =>
  new DomainError(code, HttpStatus.UNPROCESSABLE_ENTITY, message, field);
