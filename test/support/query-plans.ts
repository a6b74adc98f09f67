// Reading EXPLAIN (FORMAT JSON) output in tests that guard a statement's plan.

export interface PlanNode {
  type: string;
  relation?: string;
  index?: string;
}

/** Every node of a plan, depth first, from the `QUERY PLAN` column of EXPLAIN (FORMAT JSON) (text or parsed). */
export function planNodes(queryPlan: unknown): PlanNode[] {
  const nodes: PlanNode[] = [];
  const walk = (node: Record<string, unknown>) => {
    nodes.push({ type: String(node['Node Type']), relation: node['Relation Name'] as string | undefined, index: node['Index Name'] as string | undefined });
    for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
  };
  const parsed = (typeof queryPlan === 'string' ? JSON.parse(queryPlan) : queryPlan) as Array<{ Plan: Record<string, unknown> }>;
  walk(parsed[0].Plan);
  return nodes;
}
