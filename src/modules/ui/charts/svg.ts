/** Small pieces shared by the chart builders: escaping, number formats, axis scale. */

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an SVG element or attribute: every markup character escaped. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => XML[c]);
}

/** A coordinate with at most one decimal (keeps the markup short). */
export const px = (n: number) => String(Math.round(n * 10) / 10);

/** 1234 → "1.2k", 0.5 → "0.5": short labels for axes. */
export function shortNumber(n: number): string {
  if (n >= 1_000_000) return `${trim(n / 1_000_000)}M`;
  if (n >= 1_000) return `${trim(n / 1_000)}k`;
  return trim(n);
}

const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ''));

/**
 * The top of the y axis for counts: the smallest of 2, 4, 6, 8, 10 × 10^k at or above `max`
 * (at least 2), so that the middle grid line is a whole number too.
 */
export function niceMax(max: number): number {
  if (!(max > 2)) return 2;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 4, 6, 8, 10]) if (step * power >= max && (step * power) % 2 === 0) return step * power;
  return 10 * power;
}

/** 3661 → "1 h 1 min", 75 → "1 min 15 s", 4 → "4 s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h} h${m ? ` ${m} min` : ''}`;
}

export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
export const INK = '#1d2433';
export const MUTED = '#5b6577';
export const GRID = '#e3e7ee';
