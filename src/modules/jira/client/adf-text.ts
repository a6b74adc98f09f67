// Atlassian Document Format → plain text. Jira Cloud stores comments (and descriptions) as ADF
// and sends them so in webhooks and v3 answers; v2 answers and Data Center send wiki text.
// Enough to search or show a comment, not a renderer: marks are dropped, blocks end a line.

// A list item or a quote holds paragraphs, which end their own lines.
const BLOCKS = new Set(['paragraph', 'heading', 'codeBlock', 'rule', 'tableRow', 'mediaGroup']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A comment body as plain text, whichever form it came in: wiki text as is, ADF flattened. */
export function commentText(body: unknown): string {
  if (typeof body === 'string') return body;
  return adfText(body).trim();
}

function adfText(node: unknown): string {
  if (!isRecord(node)) return '';
  const attrs = isRecord(node.attrs) ? node.attrs : {};
  switch (node.type) {
    case 'text':
      return typeof node.text === 'string' ? node.text : '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'emoji':
    case 'status':
      return typeof attrs.text === 'string' ? attrs.text : '';
    case 'inlineCard':
    case 'blockCard':
      return typeof attrs.url === 'string' ? attrs.url : '';
    case 'tableCell':
    case 'tableHeader':
      return `${childrenText(node).replace(/\n+$/, '')} `;
  }
  const inner = childrenText(node);
  return typeof node.type === 'string' && BLOCKS.has(node.type) ? `${inner}\n` : inner;
}

const childrenText = (node: Record<string, unknown>) => (Array.isArray(node.content) ? node.content.map(adfText).join('') : '');
