import { esc, FONT, INK, MUTED } from './svg';

export type Tone = 'ok' | 'bad' | 'warn' | 'none';

export interface Tile {
  label: string;
  value: string;
  tone: Tone;
  /** A longer explanation, shown as the tile's tooltip. */
  note?: string;
}

const TONES: Record<Tone, { fill: string; stroke: string; ink: string }> = {
  ok: { fill: '#e7f4ec', stroke: '#1b7f3b', ink: '#1b7f3b' },
  bad: { fill: '#fbe9e7', stroke: '#b3261e', ink: '#b3261e' },
  warn: { fill: '#fdf3dc', stroke: '#8a5a00', ink: '#8a5a00' },
  none: { fill: '#f1f3f7', stroke: '#b9c1d0', ink: MUTED },
};

/** Health at a glance: a row of coloured tiles (label above, value below), wrapping `perRow` to a row. */
export function statusTiles(id: string, title: string, tiles: Tile[], perRow = 3, width = 480): string {
  const gap = 10;
  const tileW = (width - gap * (perRow - 1)) / perRow;
  const tileH = 60;
  const rows = Math.max(1, Math.ceil(tiles.length / perRow));
  const height = rows * tileH + (rows - 1) * gap;
  const parts = tiles.map((t, i) => {
    const x = (i % perRow) * (tileW + gap);
    const y = Math.floor(i / perRow) * (tileH + gap);
    const c = TONES[t.tone];
    return (
      `<g data-tile="${esc(t.label)}" data-tone="${t.tone}">${t.note ? `<title>${esc(t.note)}</title>` : ''}` +
      `<rect x="${x + 0.5}" y="${y + 0.5}" width="${tileW - 1}" height="${tileH - 1}" rx="6" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1"/>` +
      `<text x="${x + 10}" y="${y + 22}" font-size="13" fill="${INK}">${esc(t.label)}</text>` +
      `<text x="${x + 10}" y="${y + 45}" font-size="15" font-weight="600" fill="${c.ink}">${esc(t.value)}</text></g>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" data-chart="${esc(id)}" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="${FONT}">${parts.join('')}</svg>`
  );
}
