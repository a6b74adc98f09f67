import { barChart } from '@app/modules/ui/charts/bar-chart';
import { statusTiles } from '@app/modules/ui/charts/status-tiles';
import { duration, esc, niceMax, shortNumber } from '@app/modules/ui/charts/svg';

const series = [
  { name: 'created', colour: '#2456c9' },
  { name: 'failed', colour: '#b3261e' },
];
const rects = (svg: string) => [...svg.matchAll(/<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="(#[0-9a-f]+)"\/>/g)].map((m) => ({ y: Number(m[1]), h: Number(m[2]), fill: m[3] }));

describe('barChart', () => {
  const svg = barChart({ id: 'tickets', title: 'Tickets', series, slots: [{ label: '10:00', values: [3, 1] }, { label: '11:00', values: [0, 0] }, { label: '12:00', values: [8, 0] }] });

  it('stacks each slot\'s values, scaled to an even axis top', () => {
    expect(svg).toContain('data-total="12"');
    const bars = rects(svg).filter((r) => r.h > 0 && r.y > 20);
    // 3 + 1 in the first slot, 8 in the last: heights in proportion 3 : 1 : 8.
    const [a, b, c] = bars;
    expect([a.fill, b.fill, c.fill]).toEqual(['#2456c9', '#b3261e', '#2456c9']);
    expect(b.h / a.h).toBeCloseTo(1 / 3, 1);
    expect(c.h / a.h).toBeCloseTo(8 / 3, 1);
    expect(svg).toMatch(/>8<\/text>/); // niceMax(8) = 8: the top grid line
    expect(svg).toMatch(/>4<\/text>/);
  });

  it('gives every slot a tooltip with its values, empty hours too', () => {
    expect(svg).toContain('<title>11:00\ncreated: 0\nfailed: 0</title>');
    expect(svg).toContain('data-slot="12:00" data-total="8"');
  });

  it('labels every n-th slot counted back from the last, so the current hour is labelled', () => {
    const slots = Array.from({ length: 7 }, (_, i) => ({ label: `h${i}`, values: [1, 0] }));
    const labelled = [...barChart({ id: 'x', title: 'x', series, slots, labelEvery: 3 }).matchAll(/text-anchor="middle" font-size="12"[^>]*>(h\d)</g)].map((m) => m[1]);
    expect(labelled).toEqual(['h0', 'h3', 'h6']);
  });

  it('says so when there is nothing to draw', () => {
    expect(barChart({ id: 'x', title: 'x', series, slots: [{ label: 'a', values: [0, 0] }] })).toContain('nothing in this period');
  });

  it('escapes every text it puts in, and uses no style attribute (the UI\'s CSP)', () => {
    const hostile = barChart({ id: 'x"><script>', title: '<b>', series: [{ name: '</text><script>alert(1)</script>', colour: '"red' }], slots: [{ label: '<i>', values: [1] }] });
    expect(hostile).not.toMatch(/<script|<b>|<i>/);
    expect(hostile).toContain('&lt;/text&gt;&lt;script&gt;');
    expect(hostile).not.toMatch(/\sstyle=/);
  });
});

describe('statusTiles', () => {
  it('draws one tile per figure, coloured by tone, with its note as tooltip', () => {
    const svg = statusTiles('health', 'Health', [
      { label: 'Credentials', value: 'refused', tone: 'bad', note: 'since <then>' },
      { label: 'Webhook', value: 'registered', tone: 'ok' },
      { label: 'Deliveries', value: '0', tone: 'none' },
      { label: 'Last', value: 'never', tone: 'warn' },
    ]);
    expect(svg).toContain('data-tile="Credentials" data-tone="bad"><title>since &lt;then&gt;</title>');
    expect(svg).toContain('stroke="#1b7f3b"');
    expect(svg).toContain('viewBox="0 0 480 130"'); // two rows of three
    expect(svg).not.toMatch(/\sstyle=/);
  });
});

describe('chart helpers', () => {
  it.each([[0, 2], [1, 2], [2, 2], [3, 4], [5, 6], [9, 10], [11, 20], [27, 40], [61, 80], [101, 200]])('niceMax(%d) = %d', (max, top) => {
    expect(niceMax(max)).toBe(top);
  });

  it('formats numbers, durations and text', () => {
    expect([shortNumber(950), shortNumber(1500), shortNumber(2_000_000), shortNumber(2.5)]).toEqual(['950', '1.5k', '2M', '2.5']);
    expect([duration(4), duration(75), duration(3661), duration(7200)]).toEqual(['4 s', '1 min 15 s', '1 h 1 min', '2 h']);
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
