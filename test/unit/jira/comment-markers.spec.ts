import { backlinkMarker, carriesMarker, isAutomaticComment, MARKER_SUFFIX_CHARS, milestoneMarker, noteMarker, regressionMarker, splitMarker, withMarker } from '@app/modules/jira/client';
import { JIRA_COMMENT_MAX_CHARS, NOTE_MAX_CHARS } from '@app/modules/comments/dto/comment.dto';

describe('note marker', () => {
  it('is a plain word per note id', () => {
    expect(noteMarker('1')).toMatch(/^crashbridge-note-[0-9a-f]{16}$/);
    expect(noteMarker('1')).not.toBe(noteMarker('2'));
  });

  it('round-trips: the body comes back without the marker line, and the marker is found', () => {
    const m = noteMarker('42');
    expect(splitMarker(withMarker('Line one\nline two', m))).toEqual({ body: 'Line one\nline two', marker: m });
    // Cloud's regenerated wiki text may change the blank line before it.
    expect(splitMarker(`Fixed\n${m}\n`)).toEqual({ body: 'Fixed', marker: m });
  });

  it('leaves other comments alone, the regression marker included', () => {
    expect(splitMarker('Regression\ncrashbridge-regression-3f2a9c1e-2')).toEqual({ body: 'Regression\ncrashbridge-regression-3f2a9c1e-2', marker: null });
  });

  it('leaves room for the marker line within Jira limit', () => {
    expect(withMarker('x'.repeat(NOTE_MAX_CHARS), noteMarker('999999999')).length).toBe(JIRA_COMMENT_MAX_CHARS);
    expect(MARKER_SUFFIX_CHARS).toBe(35);
  });
});

describe('isAutomaticComment', () => {
  it("knows the comments crashbridge posts on its own, by today's markers and earlier ones", () => {
    expect(isAutomaticComment(`Occurred 100 times.\n${milestoneMarker('9', 100)}`)).toBe(true);
    expect(isAutomaticComment(`Regression\n${regressionMarker('9', 12)}`)).toBe(true);
    expect(isAutomaticComment(`Linked: https://cb/ui ${backlinkMarker('9')}`)).toBe(true);
    expect(isAutomaticComment('Linked to the crashbridge group a of project b. [crashbridge-link:9]')).toBe(true);
    expect(isAutomaticComment('Regression [crashbridge regression #3]')).toBe(true);
  });

  it("leaves a person's words and notes alone", () => {
    expect(isAutomaticComment('the crashbridge-link of our board')).toBe(false);
    expect(isAutomaticComment(withMarker('A note', noteMarker('5')))).toBe(false);
    expect(isAutomaticComment(`${milestoneMarker('9', 100)}abc`)).toBe(false);
  });

  it('a marker matches as a whole token only', () => {
    expect(carriesMarker(`x ${milestoneMarker('9', 1000)}`, milestoneMarker('9', 100))).toBe(false);
    expect(carriesMarker(`x ${milestoneMarker('9', 100)}.`, milestoneMarker('9', 100))).toBe(true);
  });
});
