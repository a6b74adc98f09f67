import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { registerViewHelpers } from './view-helpers';

type Render = (filePath: string, locals: Record<string, unknown>, done: (err: Error | null, html?: string) => void) => void;

/**
 * The Express view engine of the settings UI: the project's one Handlebars
 * package, in an environment of its own (the ticket templates use another), with
 * the helpers and partials read once at start-up and every view compiled once.
 * A page renders inside `layout.hbs` (as `{{{body}}}`) unless it passes `layout: false`.
 * Handlebars escapes every `{{value}}` as HTML.
 */
export function createViewEngine(viewsDir: string): Render {
  const env = Handlebars.create();
  registerViewHelpers(env);
  const partials = join(viewsDir, 'partials');
  for (const file of readdirSync(partials)) {
    if (file.endsWith('.hbs')) env.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  const view = (path: string) => {
    let template = compiled.get(path);
    if (!template) {
      template = env.compile(readFileSync(path, 'utf8'), { strict: false });
      compiled.set(path, template);
    }
    return template;
  };
  const layoutPath = join(viewsDir, 'layout.hbs');
  return (filePath, locals, done) => {
    try {
      const body = view(filePath)(locals);
      done(null, locals.layout === false ? body : view(layoutPath)({ ...locals, body }));
    } catch (err) {
      done(err as Error);
    }
  };
}
