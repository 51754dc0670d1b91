// Which worker runs what. Every worker computes this from the same inputs (the group's live workers
// and the stored connectors), so all of them agree without a leader: connectors first, then their
// tasks, dealt round-robin over the workers sorted by id.

export interface WorkUnit {
  readonly connector: string;
  /** null: the connector itself (its status, its task configs); a number: that task. */
  readonly task: number | null;
}

export const unitKey = (unit: WorkUnit) =>
  unit.task === null ? `${unit.connector}` : `${unit.connector}-${unit.task}`;

export function assignWork(
  workers: readonly string[],
  connectors: readonly { readonly name: string; readonly taskCount: number }[],
): Map<string, WorkUnit[]> {
  const sortedWorkers = [...new Set(workers)].sort();
  const assignment = new Map<string, WorkUnit[]>(sortedWorkers.map((worker) => [worker, []]));
  if (sortedWorkers.length === 0) return assignment;
  const sortedConnectors = [...connectors].sort((a, b) => a.name.localeCompare(b.name));
  const units: WorkUnit[] = [
    ...sortedConnectors.map((connector) => ({ connector: connector.name, task: null })),
    ...sortedConnectors.flatMap((connector) =>
      Array.from({ length: connector.taskCount }, (_, task) => ({ connector: connector.name, task })),
    ),
  ];
  units.forEach((unit, index) => assignment.get(sortedWorkers[index % sortedWorkers.length])?.push(unit));
  return assignment;
}
