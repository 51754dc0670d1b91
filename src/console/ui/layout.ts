// A layered left-to-right layout for the pipeline map: each node's column is the longest path to it
// from a node nothing flows into (topics -> queries -> output topics -> connectors -> tables), and
// nodes in a column are stacked in the order given.
export interface LayoutEdge {
  from: string;
  to: string;
}

export interface Placed {
  id: string;
  column: number;
  row: number;
}

export function layerColumns(ids: readonly string[], edges: readonly LayoutEdge[]): Map<string, number> {
  const column = new Map(ids.map((id) => [id, 0]));
  // At most one pass per node: a cycle (a query writing the topic it reads) cannot loop forever.
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const edge of edges) {
      const from = column.get(edge.from);
      const to = column.get(edge.to);
      if (from === undefined || to === undefined || to >= from + 1) continue;
      column.set(edge.to, from + 1);
      changed = true;
    }
    if (!changed) break;
  }
  return column;
}

export function layout(ids: readonly string[], edges: readonly LayoutEdge[]): Placed[] {
  const columns = layerColumns(ids, edges);
  const rows = new Map<number, number>();
  return ids.map((id) => {
    const column = columns.get(id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return { id, column, row };
  });
}
