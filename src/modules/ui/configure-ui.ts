import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { join } from 'node:path';
import { UI_ROOT } from './ui-paths';
import { createViewEngine } from './view-engine';

const VIEWS_DIR = join(__dirname, 'views');
const ASSETS_DIR = join(__dirname, 'public');

/**
 * Express-level set-up of the settings UI: Handlebars views (NestJS MVC), its static
 * assets, cookies, and security headers. The strict CSP is why the pages carry no
 * inline script or style: everything comes from /ui/assets.
 */
export function configureUi(app: NestExpressApplication): void {
  app.engine('hbs', createViewEngine(VIEWS_DIR));
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.use(
    UI_ROOT,
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use(UI_ROOT, cookieParser());
  // Pages hold CSRF tokens and freshly shown secrets: never keep them in a cache.
  app.use(UI_ROOT, (req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/assets/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.useStaticAssets(ASSETS_DIR, { prefix: `${UI_ROOT}/assets/`, maxAge: '1h', index: false });
}
