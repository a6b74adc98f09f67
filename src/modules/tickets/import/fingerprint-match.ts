import { compileCapture } from '@app/modules/conditions/bounded-regex';
import { commentText, JiraIssue } from '@app/modules/jira/client';

export interface ImportMatch {
  from: string;
  pattern: string;
}

/** A field value as the texts the pattern is tried on: labels one by one, options by value or name. */
function texts(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.value === 'string') return [o.value];
    if (typeof o.name === 'string') return [o.name];
    if (o.type === 'doc') return [commentText(o)]; // an ADF description or text field (Cloud v3)
  }
  return [];
}

/** Reads the fingerprint an issue names in the matched field (the first capture of the first text that matches), or null. */
export function fingerprintReader(match: ImportMatch): { field: string; read: (issue: JiraIssue) => string | null } {
  const capture = compileCapture(match.pattern);
  return {
    field: match.from,
    read: (issue) => {
      for (const text of texts((issue.fields as Record<string, unknown> | undefined)?.[match.from])) {
        const fp = capture(text);
        if (fp) return fp;
      }
      return null;
    },
  };
}
