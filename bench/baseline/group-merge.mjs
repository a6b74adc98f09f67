// What the two group baselines (server.mjs, batch-upsert.mjs) share with each other: the merge of
// a report into a stored group, as the service's ingest statement does it (count added, first_seen
// the least, last_seen the greatest, callstack, classifiers and link the latest non-empty value,
// attribute histograms added value by value), and a report's attributes as histograms.

/** The `ON CONFLICT … DO UPDATE SET` of a row aliased `g`; `title`: the SQL of the title kept. */
export const mergeSet = (title) => `
    title = ${title},
    callstack = CASE WHEN EXCLUDED.callstack = '[]'::jsonb THEN g.callstack ELSE EXCLUDED.callstack END,
    classifiers = CASE WHEN EXCLUDED.classifiers = '[]'::jsonb THEN g.classifiers ELSE EXCLUDED.classifiers END,
    count = g.count + EXCLUDED.count,
    first_seen = LEAST(g.first_seen, EXCLUDED.first_seen),
    last_seen = GREATEST(g.last_seen, EXCLUDED.last_seen),
    link = COALESCE(EXCLUDED.link, g.link),
    attributes = CASE WHEN EXCLUDED.attributes = '{}'::jsonb THEN g.attributes ELSE g.attributes || (
      SELECT jsonb_object_agg(d.key, COALESCE(g.attributes -> d.key, '{}'::jsonb) || (
               SELECT jsonb_object_agg(e.key, COALESCE((g.attributes -> d.key -> e.key)::numeric, 0) + e.value::numeric)
                 FROM jsonb_each(d.value) e))
        FROM jsonb_each(EXCLUDED.attributes) d) END,
    updated_at = now()`;

/** A report's attributes as histograms, as the service normalises them: a scalar counts `count` once, an object or [value, n] list adds its counts. */
export function histograms(attrs, count) {
  const out = {};
  if (!attrs || typeof attrs !== 'object') return out;
  for (const [name, v] of Object.entries(attrs)) {
    const h = new Map();
    if (v === null || typeof v !== 'object') {
      if (count > 0) h.set(String(v), count);
    } else if (Array.isArray(v)) {
      for (const [value, c] of v) if (c > 0) h.set(String(value), (h.get(String(value)) ?? 0) + c);
    } else {
      for (const [value, c] of Object.entries(v)) if (c > 0) h.set(value, c);
    }
    if (h.size > 0) out[name] = Object.fromEntries(h);
  }
  return out;
}
