import { Body, Controller, Get, Logger, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { generateToken } from '@app/common/crypto';
import { Public } from '@app/modules/projects/auth/auth.decorators';
import { formText } from '@app/modules/ui/forms/form-text';
import { CSRF_MISSING, UiSessionGuard, csrfMatches } from '@app/modules/ui/session/ui-session.guard';
import { SignInLimiter } from '@app/modules/ui/session/sign-in-limiter';
import { SESSION_COOKIE, SESSION_TTL_MS, UiSessionService } from '@app/modules/ui/session/ui-session.service';
import { UiExceptionFilter } from '@app/modules/ui/ui-exception.filter';
import { UI_ROOT, projectsPath, safeReturnTo, signInPath } from '@app/modules/ui/ui-paths';

/** Double-submit token for the sign-in form, which has no session yet (against login CSRF). */
const SIGN_IN_COOKIE = 'cb_signin';

@ApiExcludeController()
@Public()
@UseFilters(UiExceptionFilter)
@Controller('ui')
export class SignInController {
  private readonly logger = new Logger('UiSignIn');

  constructor(
    private readonly sessions: UiSessionService,
    private readonly limiter: SignInLimiter,
  ) {}

  @Get()
  root(@Res() res: Response): void {
    res.redirect(303, projectsPath());
  }

  @Get('sign-in')
  form(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response): void {
    this.renderForm(req, res, 200, { next: safeReturnTo(next) });
  }

  /** After SIGN_IN_LIMIT wrong tokens from an address in a minute, it must wait (429), right token or not. */
  @Post('sign-in')
  async signIn(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const next = safeReturnTo(body.next);
    if (!csrfMatches(req, (req.cookies as Record<string, string> | undefined)?.[SIGN_IN_COOKIE])) {
      return this.renderForm(req, res, 403, { next, error: CSRF_MISSING });
    }
    const address = req.ip ?? 'unknown';
    const wait = await this.limiter.claimAttempt(address);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.renderForm(req, res, 429, { next, error: `Too many attempts: wait ${wait} s and try again.` });
    }
    const token = formText(body.token);
    if (!token || !this.sessions.isAdminToken(token)) {
      this.logger.warn({ msg: 'ui sign-in refused', ip: address });
      return this.renderForm(req, res, 401, { next, error: token ? 'That admin token is not valid.' : 'Enter the admin token.' });
    }
    await this.limiter.forgive(address);
    const { cookie } = await this.sessions.open();
    res.clearCookie(SIGN_IN_COOKIE, { path: `${UI_ROOT}/sign-in` });
    res.cookie(SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: UI_ROOT, maxAge: SESSION_TTL_MS });
    this.logger.log({ msg: 'ui sign-in', ip: req.ip });
    res.redirect(303, next ?? projectsPath());
  }

  @Post('sign-out')
  @UseGuards(UiSessionGuard)
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sessions.close(req.uiSession!);
    res.clearCookie(SESSION_COOKIE, { path: UI_ROOT });
    res.redirect(303, signInPath());
  }

  private renderForm(req: Request, res: Response, status: number, locals: { next?: string; error?: string }): void {
    const csrf = generateToken('');
    res.cookie(SIGN_IN_COOKIE, csrf, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: `${UI_ROOT}/sign-in` });
    res.status(status).render('sign-in', { title: 'Sign in', csrf, ...locals });
  }
}
