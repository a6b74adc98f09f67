import fc from 'fast-check';
import { cutAt, splitLabels, splitList, truncateText } from '@app/modules/templates';

describe('splitList', () => {
  it('splits on commas, trims, drops empties and duplicates in first-seen order', () => {
    expect(splitList(' crashbridge, Linux ,,  , nightly, Linux, crashbridge ')).toEqual(['crashbridge', 'Linux', 'nightly']);
    expect(splitList('')).toEqual([]);
    expect(splitList(' , ')).toEqual([]);
  });

  it('keeps spaces inside array values', () => {
    expect(splitList('Mac OS, Red Hat')).toEqual(['Mac OS', 'Red Hat']);
  });
});

describe('splitLabels', () => {
  it('turns whitespace inside a label into _', () => {
    expect(splitLabels('crashbridge, Red  Hat Linux, a\tb')).toEqual(['crashbridge', 'Red_Hat_Linux', 'a_b']);
  });

  it('deduplicates after the rewrite', () => {
    expect(splitLabels('red hat, red_hat, red  hat')).toEqual(['red_hat']);
  });
});

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('truncate', () => {
  it('keeps text that fits', () => {
    expect(truncateText('a'.repeat(255), 255)).toEqual({ text: 'a'.repeat(255), truncated: false });
  });

  it('cuts at exactly the limit', () => {
    expect(truncateText('a'.repeat(256), 255)).toEqual({ text: 'a'.repeat(255), truncated: true });
    expect(truncateText('a'.repeat(300), 255, '…').text).toBe('a'.repeat(254) + '…');
  });

  it('never splits a surrogate pair at the boundary', () => {
    const text = 'a'.repeat(254) + '😀' + 'b'; // the emoji occupies code units 254 and 255
    const t = truncateText(text, 255);
    expect(t).toEqual({ text: 'a'.repeat(254), truncated: true });
    expect(cutAt('a'.repeat(32_766) + '😀', 32_767)).toBe('a'.repeat(32_766));
  });

  it('never leaves a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.nat(60), (s, max) => {
        const out = truncateText(s, max, '…').text;
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
        expect(out).not.toMatch(LONE_SURROGATE);
      }),
    );
  });
});
