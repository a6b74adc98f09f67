import fc from 'fast-check';
import {
  escapeWikiLine,
  escapeWikiText,
  escapeWikiUrl,
  neutraliseCodeMacros,
} from '@app/modules/templates';

describe('escapeWikiText', () => {
  it('escapes text effects around words', () => {
    expect(escapeWikiText('*bold* _it_ -del- +ins+ ^sup^ ~sub~')).toBe(
      '\\*bold\\* \\_it\\_ \\-del\\- \\+ins\\+ \\^sup\\^ \\~sub\\~',
    );
  });

  it('leaves in-word punctuation readable', () => {
    expect(escapeWikiText('parse_header null-deref 2.4.0-rc1 a+b x*y')).toBe('parse_header null-deref 2.4.0-rc1 a+b x*y');
  });

  it('always escapes macros, links and table bars', () => {
    expect(escapeWikiText('{code} [link|http://x] a|b')).toBe('\\{code\\} \\[link\\|http://x\\] a\\|b');
    expect(escapeWikiText('{{monospace}}')).toBe('\\{\\{monospace\\}\\}');
  });

  it('escapes list, rule and dash markup at risky positions only', () => {
    expect(escapeWikiText('# one\n* two\n- three\n----')).toBe('\\# one\n\\* two\n\\- three\n\\-\\-\\-\\-');
    expect(escapeWikiText('issue #12 -- ok')).toBe('issue #12 \\-\\- ok');
  });

  it('escapes citations and images but not ordinary ? and !', () => {
    expect(escapeWikiText('??cite?? what? !img.png! oops! ')).toBe('\\?\\?cite\\?\\? what? \\!img.png! oops! ');
  });

  it('writes backslashes as an entity so they neither break lines nor escape', () => {
    expect(escapeWikiText('C:\\dir\\\\share')).toBe('C:&#92;dir&#92;&#92;share');
  });

  it('neutralises entities and paren emoticons', () => {
    expect(escapeWikiText('R&amp;D & co')).toBe('R&amp;amp;D & co');
    expect(escapeWikiText('assert(x) (i) (on) f(xy)')).toBe('assert&#40;x) &#40;i) &#40;on) f(xy)');
  });

  it('keeps non-ASCII words intact', () => {
    expect(escapeWikiText('größe_wert 😀*')).toBe('größe_wert 😀\\*');
  });

  it('never leaves an unescaped { [ | in the output', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeWikiText(s)).not.toMatch(/(^|[^\\])[{}[\]|]/);
      }),
    );
  });
});

describe('escapeWikiLine', () => {
  it('keeps a table cell on one line and never empty', () => {
    expect(escapeWikiLine('a\nb\r\n  c')).toBe('a b c');
    expect(escapeWikiLine('')).toBe(' ');
    expect(escapeWikiLine('x|y')).toBe('x\\|y');
  });
});

describe('escapeWikiUrl', () => {
  it('percent-encodes what would end a [text|url] link', () => {
    expect(escapeWikiUrl('https://x.example/a b|c]d[e{f}')).toBe('https://x.example/a%20b%7Cc%5Dd%5Be%7Bf%7D');
    expect(escapeWikiUrl('https://x.example/p?q=1&r=a_b')).toBe('https://x.example/p?q=1&r=a_b');
  });
});

describe('neutraliseCodeMacros', () => {
  it('stops a value from closing a code or noformat block', () => {
    const out = neutraliseCodeMacros('frame {code} and {noformat} and {code:java} and {CODE}');
    expect(out).not.toMatch(/\{(code|noformat)[:}]/i);
    expect(out.replace(/\u200B/g, '')).toBe('frame {code} and {noformat} and {code:java} and {CODE}');
  });

  it('leaves everything else verbatim', () => {
    expect(neutraliseCodeMacros('*a* [b] \\c {d}')).toBe('*a* [b] \\c {d}');
  });
});
