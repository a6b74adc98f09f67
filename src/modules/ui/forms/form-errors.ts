import { HttpException } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { ValidationProblem, validationProblems } from '@app/common/validation/validation-problems';

/** One problem with the submitted form: the DTO path it concerns (`auth.email`, `customFields[0].field`) and the message. */
export type FormProblem = ValidationProblem;

/** Form field name → messages shown next to it. `form` collects what belongs to no single field. */
export type FieldErrors = Record<string, string[]>;

/** The problems with the paths and messages the API's 400 gives (validationProblems). */
export function flattenValidation(errors: ValidationError[]): FormProblem[] {
  return validationProblems(errors);
}

/** Validates a plain object exactly as the API's ValidationPipe would (whitelist, no unknown members). */
export function validateAs<T extends object>(cls: ClassConstructor<T>, plain: Record<string, unknown>): { value: T; problems: FormProblem[] } {
  const value = plainToInstance(cls, plain);
  return { value, problems: flattenValidation(validateSync(value, { whitelist: true, forbidNonWhitelisted: true })) };
}

/** Groups problems by form field, through `fieldOf` (DTO path → field name). */
export function toFieldErrors(problems: FormProblem[], fieldOf: (path: string) => string = (p) => p): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) (out[fieldOf(p.path)] ??= []).push(p.message);
  return out;
}

export function messagesOf(e: HttpException): string[] {
  const response = e.getResponse();
  const message = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : response;
  return Array.isArray(message) ? message.map(String) : [String(message)];
}
