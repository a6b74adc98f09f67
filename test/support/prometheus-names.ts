/** Metric names in PromQL text and in Prometheus exposition text, for checking one against the other. */

/** The `crashbridge_*` names an expression mentions (a label value or a string is not a name here). */
export function crashbridgeNamesIn(expr: string): string[] {
  return [...new Set(expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/\bcrashbridge_[A-Za-z0-9_]*/g) ?? [])];
}

/** Each family of an exposition text with its TYPE (`counter`, `gauge`, `histogram`, `summary`, `untyped`). */
export function metricFamilies(exposition: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1], m[2]);
  return out;
}

/**
 * The family a name in a query reads: itself, or a histogram's `_bucket`/`_sum`/`_count` series, or a
 * summary's `_sum`/`_count`. Undefined when no family exposes it (a counter's `_total` is its own name).
 */
export function familyOf(name: string, families: Map<string, string>): string | undefined {
  if (families.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!m) return undefined;
  const type = families.get(m[1]);
  if (type === 'histogram' || (type === 'summary' && m[2] !== 'bucket')) return m[1];
  return undefined;
}

/** Every PromQL expression of a Grafana dashboard, panels in rows included. */
export function dashboardExpressions(dashboard: { panels?: unknown[] }): string[] {
  const out: string[] = [];
  const visit = (panels: unknown[] | undefined) => {
    for (const p of (panels ?? []) as Array<{ targets?: Array<{ expr?: string }>; panels?: unknown[] }>) {
      for (const t of p.targets ?? []) if (t.expr) out.push(t.expr);
      visit(p.panels);
    }
  };
  visit(dashboard.panels);
  return out;
}
