import { regressionComment } from '@app/modules/regression/regression-comment';

const base = { count: 3, total: 40, marker: '[crashbridge regression #2]' };

describe('regressionComment', () => {
  it('shows a crafted version as typed: no mention, no image, no link', () => {
    const text = regressionComment({
      ...base,
      version: '9.9.9 [~accountid:5b10a2844c20165700ede21g] !https://attacker.example/track.png! [click|https://attacker.example/login]',
      resolvedUntil: '9.0.0',
      link: null,
    });
    expect(text).toBe(
      'Regression: Crashes from version *9.9.9 \\[\\~accountid:5b10a2844c20165700ede21g\\] \\!https://attacker.example/track.png! \\[click\\|https://attacker.example/login\\]* arrived, at or above the fix version 9.0.0.\n' +
        'Occurrences in the regressing report: 3; total occurrences: 40.\n[crashbridge regression #2]',
    );
  });

  it('keeps a link inside its [text|url] and percent-encodes what would end it', () => {
    const text = regressionComment({ ...base, version: '2.0.0', resolvedUntil: '2.0.0', link: 'https://errors.example.com/g?x=1|[~accountid:x]' });
    expect(text).toContain('\n[View the group in the error tracker|https://errors.example.com/g?x=1%7C%5B~accountid:x%5D]\n');
  });

  it('offers no link that is not http(s)', () => {
    for (const link of ['javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      expect(regressionComment({ ...base, version: null, link })).toBe(
        'Regression: Crashes arrived after the issue was resolved.\nOccurrences in the regressing report: 3; total occurrences: 40.\n[crashbridge regression #2]',
      );
    }
  });

  it('escapes the fix version too', () => {
    expect(regressionComment({ ...base, version: '1.0', resolvedUntil: '{color:red}1.0{color}', link: null })).toContain(
      'at or above the fix version \\{color:red\\}1.0\\{color\\}.',
    );
  });
});
