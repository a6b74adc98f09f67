import { HttpStatus } from '@nestjs/common';

/**
 * An expected failure with a stable code; the exception filter maps it to
 * NestJS's error shape plus `code`. `field` names the offending input when known.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: HttpStatus,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new DomainError(code, HttpStatus.NOT_FOUND, message);
export const conflict = (code: string, message: string, field?: string) =>
  new DomainError(code, HttpStatus.CONFLICT, message, field);
export const badRequest = (code: string, message: string, field?: string) =>
  new DomainError(code, HttpStatus.BAD_REQUEST, message, field);
export const unprocessable = (code: string, message: string, field?: string) =>
  new DomainError(code, HttpStatus.UNPROCESSABLE_ENTITY, message, field);
