import { MAX_AFFECTED_VERSIONS, affectedVersionNames } from '@app/modules/tickets/creation/affected-versions/affected-version-names';

describe('affectedVersionNames (the versions a ticket affects, from the version attribute)', () => {
  const histogram = { '2.4.0': 3, '2.5.0': 7, '(other)': 40, '2.4.1': 3 };

  it('top: the most counted value; "(other)" is folded values, never a version', () => {
    expect(affectedVersionNames(histogram, 'top')).toEqual(['2.5.0']);
    expect(affectedVersionNames({ '(other)': 9 }, 'top')).toEqual([]);
  });

  it('all: every value, most counted first, a tie to the greater version (the top-value rule)', () => {
    expect(affectedVersionNames(histogram, 'all')).toEqual(['2.5.0', '2.4.1', '2.4.0']);
  });

  it(`all: at most ${MAX_AFFECTED_VERSIONS}, the most counted`, () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`1.${i}`, i + 1]));
    const names = affectedVersionNames(many, 'all');
    expect(names).toHaveLength(MAX_AFFECTED_VERSIONS);
    expect(names[0]).toBe('1.29');
    expect(names.at(-1)).toBe('1.10');
  });

  it('trims names, skips blank ones and counts a name once in any letter case (as Jira compares them)', () => {
    expect(affectedVersionNames({ ' 3.0 ': 5, 'Beta 3': 4, 'beta 3': 2, '  ': 9 }, 'all')).toEqual(['3.0', 'Beta 3']);
  });

  it('none, or a group without the attribute: nothing', () => {
    expect(affectedVersionNames(histogram, 'none')).toEqual([]);
    expect(affectedVersionNames(undefined, 'all')).toEqual([]);
    expect(affectedVersionNames({}, 'top')).toEqual([]);
  });
});
