import { esc, FONT, GRID, INK, MUTED, niceMax, px, shortNumber } from './svg';

export interface BarSeries {
  name: string;
  colour: string;
}

export interface BarSlot {
  label: string;
  /** One value per series, stacked in series order. */
  values: number[];
}

export interface BarChartSpec {
  /** The chart's accessible name (and `data-chart`, for tests and styling). */
  id: string;
  title: string;
  series: BarSeries[];
  slots: BarSlot[];
  /** Label every n-th slot on the x axis, counted back from the last (hours: every 3rd). Default 1. */
  labelEvery?: number;
  width?: number;
  height?: number;
}

const MARGIN = { top: 32, right: 8, bottom: 24, left: 36 };

/**
 * A stacked bar chart as an SVG element: y axis from 0 with three grid lines, a label under
 * every `labelEvery`-th bar, a legend on top, and a tooltip (<title>) per bar. Presentation
 * attributes only (no style attribute), so the UI's CSP allows it.
 */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 480;
  const height = spec.height ?? 190;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const totals = spec.slots.map((s) => s.values.reduce((a, b) => a + b, 0));
  const total = totals.reduce((a, b) => a + b, 0);
  const top = niceMax(Math.max(0, ...totals));
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const step = plotW / Math.max(1, spec.slots.length);
  const barW = Math.max(1, step * 0.72);
  const every = Math.max(1, spec.labelEvery ?? 1);

  const parts: string[] = [];
  for (const v of [0, top / 2, top]) {
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="${GRID}" stroke-width="1"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${px(y(v) + 4)}" text-anchor="end" font-size="12" fill="${MUTED}">${esc(shortNumber(v))}</text>`);
  }
  spec.slots.forEach((slot, i) => {
    const x = MARGIN.left + i * step + (step - barW) / 2;
    let base = 0;
    const tip = [slot.label, ...spec.series.map((s, j) => `${s.name}: ${slot.values[j] ?? 0}`)].join('\n');
    const rects: string[] = [];
    spec.series.forEach((s, j) => {
      const v = slot.values[j] ?? 0;
      if (v <= 0) return;
      rects.push(`<rect x="${px(x)}" y="${px(y(base + v))}" width="${px(barW)}" height="${px(y(base) - y(base + v))}" fill="${esc(s.colour)}"/>`);
      base += v;
    });
    // An invisible full-height target carries the tooltip, so an empty hour can be hovered too.
    parts.push(`<g data-slot="${esc(slot.label)}" data-total="${totals[i]}"><title>${esc(tip)}</title>` +
      `<rect x="${px(MARGIN.left + i * step)}" y="${MARGIN.top}" width="${px(step)}" height="${plotH}" fill="transparent"/>${rects.join('')}</g>`);
    if ((spec.slots.length - 1 - i) % every === 0) {
      parts.push(`<text x="${px(x + barW / 2)}" y="${height - 7}" text-anchor="middle" font-size="12" fill="${MUTED}">${esc(slot.label)}</text>`);
    }
  });
  let lx = MARGIN.left;
  for (const s of spec.series) {
    parts.push(`<rect x="${lx}" y="8" width="10" height="10" rx="2" fill="${esc(s.colour)}"/>`);
    parts.push(`<text x="${lx + 14}" y="17" font-size="13" fill="${INK}">${esc(s.name)}</text>`);
    lx += 26 + s.name.length * 7.5;
  }
  if (total === 0) {
    parts.push(`<text x="${px(MARGIN.left + plotW / 2)}" y="${px(MARGIN.top + plotH / 2)}" text-anchor="middle" font-size="14" fill="${MUTED}">nothing in this period</text>`);
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(spec.title)}" data-chart="${esc(spec.id)}" data-total="${total}" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="${FONT}">${parts.join('')}</svg>`
  );
}
