/** A submitted form or query value as trimmed text; anything that is not a single string is empty. */
export const formText = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
