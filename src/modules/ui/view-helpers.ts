import type Handlebars from 'handlebars';

/** "2026-11-26 01:12 UTC": short, unambiguous across time zones. */
function formatTime(value: unknown, chars = 16): string {
  const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return `${d.toISOString().slice(0, chars).replace('T', ' ')} UTC`;
}

/**
 * Helpers the views use. Handlebars escapes every {{value}}; none of these
 * return SafeString, so nothing they produce is trusted as HTML.
 */
export function registerViewHelpers(env: typeof Handlebars): void {
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  env.registerHelper('time', (value: unknown) => formatTime(value));
  // To the second, where attempts a second apart must be told apart.
  env.registerHelper('timeSeconds', (value: unknown) => formatTime(value, 19));
  env.registerHelper('encode', (value: unknown) => encodeURIComponent(String(value ?? '')));
  env.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
  env.registerHelper('join', (value: unknown, sep: unknown) => (Array.isArray(value) ? value.join(typeof sep === 'string' ? sep : ', ') : ''));
  // Field names of list items: (concat path ".when[" @index "]").
  env.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
  env.registerHelper('inc', (value: unknown) => Number(value) + 1);
  // The attribute on the field the page puts the cursor in (the page's `focus`): `<input … {{autofocusIf name}}>`.
  env.registerHelper('autofocusIf', (name: unknown, options: Handlebars.HelperOptions) => ((options.data?.root as { focus?: unknown })?.focus === name ? 'autofocus' : ''));
  env.registerHelper('errorsFor', (errors: Record<string, string[]> | undefined, field: string) => errors?.[field] ?? []);
}
