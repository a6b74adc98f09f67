import { ValidationPipe } from '@nestjs/common';
import { validationException } from './validation-problems';

/**
 * The app's global pipe: unknown members refused, bodies turned into their DTO, errors named by bracketed paths.
 * The errors keep their values (Nest drops a parent's by default): a list's value is what makes its entries `[i]`.
 */
export const appValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: true },
    exceptionFactory: validationException,
  });
