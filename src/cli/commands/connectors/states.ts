// How a connector's state reads in a table: its state, its tasks' states counted, and the first line
// of the first failure (the whole trace is in `venice connectors status <name> --json`).
import type { ConnectorStateInfo } from '../../../connect/api/herder.js';

export function tasksSummary(status: ConnectorStateInfo | undefined): string {
  if (!status) return '-';
  if (status.tasks.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const task of status.tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
}

export function firstFailure(status: ConnectorStateInfo | undefined): string | null {
  if (!status) return null;
  const trace = status.connector.trace ?? status.tasks.find((task) => task.trace)?.trace;
  return trace ? firstLine(trace) : null;
}

export function firstLine(trace: string): string {
  return (
    trace
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

/** `io.confluent.connect.jdbc.JdbcSinkConnector` reads as `JdbcSinkConnector` in a table. */
export function shortClass(className: string | undefined): string | null {
  return className ? (className.split('.').pop() ?? className) : null;
}
