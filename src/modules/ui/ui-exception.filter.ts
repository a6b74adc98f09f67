import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { isDatabaseUnavailable, unstorableStringProblem } from '@app/common/errors/database-errors';
import { DomainError } from '@app/common/errors/domain-error';
import { UiSignInRequired } from '@app/modules/ui/session/ui-session.guard';
import { messagesOf } from '@app/modules/ui/forms/form-errors';
import { signInPath } from './ui-paths';

/**
 * UI pages answer in HTML: a missing session redirects to sign-in, expected
 * failures render the error page with their status and message, anything else
 * is logged and shown without internals.
 */
@Catch()
export class UiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Ui');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof UiSignInRequired) {
      res.redirect(303, signInPath(exception.returnTo));
      return;
    }
    const { status, messages } = this.describe(exception);
    if (status >= 500 && status !== 503) this.logger.error({ msg: 'ui page failed', path: req.path, err: (exception as Error)?.stack ?? String(exception) });
    res.status(status).render('error', {
      title: status === 403 ? 'Forbidden' : status === 404 ? 'Not found' : 'Something went wrong',
      status,
      messages,
      signedIn: Boolean(req.uiSession),
      csrf: req.uiSession?.csrfToken,
    });
  }

  private describe(exception: unknown): { status: number; messages: string[] } {
    if (exception instanceof DomainError) return { status: exception.status, messages: [exception.message] };
    if (exception instanceof HttpException) return { status: exception.getStatus(), messages: messagesOf(exception) };
    const unstorable = unstorableStringProblem(exception);
    if (unstorable) return { status: HttpStatus.BAD_REQUEST, messages: [unstorable] };
    if (isDatabaseUnavailable(exception)) return { status: HttpStatus.SERVICE_UNAVAILABLE, messages: ['The database is unavailable; try again shortly.'] };
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, messages: ['An unexpected error occurred; it has been logged.'] };
  }
}
