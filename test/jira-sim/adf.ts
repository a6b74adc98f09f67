// Wiki markup ↔ Atlassian Document Format, the way Cloud stores a v2 comment and answers it back.
// Cloud keeps only the ADF, so v2 reads return wiki markup regenerated from it: what ADF cannot hold is lost.
// Modelled losses: macros ADF has no node for ({anchor}, {color}, any other {name} tag) vanish and keep their
// text; a bare URL comes back as [url|url]; {code} without a language comes back as {noformat}; blank-line runs
// collapse to one; whitespace at line ends is dropped.
import type { AdfDoc, AdfNode } from './types';

const BLOCK = /\{(noformat|code)(?::([^}]*))?\}([\s\S]*?)\{\1\}/g;
const INLINE = /\[([^\]|]+)\|([^\]|]+)\]|\[~accountid:([^\]]+)\]|\*([^*\n]+)\*|\b_([^_\n]+)_\b|(https?:\/\/[^\s\]|]+)|\{[a-zA-Z]+(?::[^}]*)?\}/g;

export function wikiToAdf(wiki: string): AdfDoc {
  const content: AdfNode[] = [];
  let last = 0;
  for (const m of wiki.matchAll(BLOCK)) {
    content.push(...paragraphs(wiki.slice(last, m.index)));
    const language = m[1] === 'code' && m[2] ? m[2] : undefined;
    content.push({ type: 'codeBlock', ...(language ? { attrs: { language } } : {}), content: [{ type: 'text', text: m[3].replace(/^\n|\n$/g, '') }] });
    last = m.index! + m[0].length;
  }
  content.push(...paragraphs(wiki.slice(last)));
  return { type: 'doc', version: 1, content };
}

function paragraphs(text: string): AdfNode[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim())
    .map((p) => ({ type: 'paragraph', content: p.split('\n').flatMap((line, i) => [...(i ? [{ type: 'hardBreak' }] : []), ...inline(line)]) }));
}

function inline(line: string): AdfNode[] {
  const out: AdfNode[] = [];
  let last = 0;
  const text = (t: string, marks?: AdfNode['marks']) => t && out.push({ type: 'text', text: t, ...(marks ? { marks } : {}) });
  for (const m of line.matchAll(INLINE)) {
    text(line.slice(last, m.index));
    last = m.index! + m[0].length;
    const [, label, href, mention, bold, italic, url] = m;
    if (label !== undefined) text(label, [{ type: 'link', attrs: { href } }]);
    else if (mention !== undefined) out.push({ type: 'mention', attrs: { id: mention } });
    else if (bold !== undefined) text(bold, [{ type: 'strong' }]);
    else if (italic !== undefined) text(italic, [{ type: 'em' }]);
    else if (url !== undefined) text(url, [{ type: 'link', attrs: { href: url } }]);
    // else: a macro ADF cannot represent; it is dropped, the text around it stays
  }
  text(line.slice(last));
  return out;
}

export function adfToWiki(doc: AdfNode): string {
  return (doc.content ?? []).map(block).join('\n\n');
}

function block(n: AdfNode): string {
  const inner = (n.content ?? []).map(inlineWiki).join('');
  if (n.type === 'codeBlock') {
    const lang = n.attrs?.language;
    return lang ? `{code:${String(lang)}}\n${inner}\n{code}` : `{noformat}\n${inner}\n{noformat}`;
  }
  return inner;
}

function inlineWiki(n: AdfNode): string {
  if (n.type === 'hardBreak') return '\n';
  if (n.type === 'mention') return `[~accountid:${String(n.attrs?.id)}]`;
  let t = n.text ?? '';
  for (const mark of n.marks ?? []) {
    if (mark.type === 'strong') t = `*${t}*`;
    else if (mark.type === 'em') t = `_${t}_`;
    else if (mark.type === 'link') t = `[${t}|${String(mark.attrs?.href)}]`;
  }
  return t;
}
