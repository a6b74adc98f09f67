import hbs from 'hbs';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** "2026-11-26 01:12 UTC": short, unambiguous across time zones. */
function formatTime(value: unknown): string {
  const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Helpers the views use. Handlebars escapes every {{value}}; none of these
 * return SafeString, so nothing they produce is trusted as HTML.
 */
export function registerViewHelpers(viewsDir: string): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('time', (value: unknown) => formatTime(value));
  hbs.registerHelper('encode', (value: unknown) => encodeURIComponent(String(value ?? '')));
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
  hbs.registerHelper('join', (value: unknown, sep: unknown) => (Array.isArray(value) ? value.join(typeof sep === 'string' ? sep : ', ') : ''));
  hbs.registerHelper('errorsFor', (errors: Record<string, string[]> | undefined, field: string) => errors?.[field] ?? []);
  // Partials are read synchronously at start-up: hbs.registerPartials is asynchronous, and
  // a first request could otherwise race it.
  const partials = join(viewsDir, 'partials');
  for (const file of readdirSync(partials)) {
    if (file.endsWith('.hbs')) hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
}
