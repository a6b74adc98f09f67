import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable, unstorableStringProblem } from '@app/common/errors/database-errors';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorResponseDto } from '@app/common/errors/error-response.dto';

type ErrorBody = ErrorResponseDto;

const asArray = (m: unknown): string[] => (Array.isArray(m) ? m.map(String) : [String(m)]);

/** Body-parser errors carry a `type`; map them to 400/413 with a clear message. */
export function bodyParserError(err: { type?: string; status?: number; limit?: number }): ErrorBody | undefined {
  if (err.type === 'entity.parse.failed') {
    return { statusCode: 400, error: 'Bad Request', message: ['body is not valid JSON'] };
  }
  if (err.type === 'entity.too.large') {
    return { statusCode: 413, error: 'Payload Too Large', message: [`body must not exceed ${err.limit ?? 'the limit of'} bytes`] };
  }
  if (err.type && err.status && err.status >= 400 && err.status < 500) {
    return { statusCode: err.status, error: STATUS_CODES[err.status] ?? 'Bad Request', message: [`body could not be read (${err.type})`] };
  }
  return undefined;
}

/**
 * One error shape for everything: NestJS's `{statusCode, error, message[]}`.
 * Expected failures are 4xx; an unreachable database is 503; anything else is a
 * logged 500 without internals in the body.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500 && body.statusCode !== 503) {
      this.logger.error({ msg: 'unhandled error', err: (exception as Error)?.stack ?? String(exception) });
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, error: STATUS_CODES[exception.status] ?? 'Error', message: [exception.message], code: exception.code };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : response;
      if (status === 400 && typeof message === 'string' && /JSON/.test(message)) {
        // Nest maps body-parser's SyntaxError to a 400 with the parser's text; say which input is wrong.
        return { statusCode: 400, error: 'Bad Request', message: [`body is not valid JSON: ${message}`] };
      }
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: asArray(message) };
    }
    const parsed = bodyParserError(exception as { type?: string });
    if (parsed) return parsed;
    const unstorable = unstorableStringProblem(exception);
    if (unstorable) {
      // Input no validation caught, which PostgreSQL cannot store; its transaction rolled back.
      return { statusCode: 400, error: 'Bad Request', message: [unstorable], code: 'UNSTORABLE_STRING' };
    }
    if (isDatabaseUnavailable(exception)) {
      return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: ['database unavailable, retry later'] };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: ['internal error'] };
  }
}
