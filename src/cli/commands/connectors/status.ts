// `venice connectors status <name>`: the connector's and each task's state, worker and failure.
import type { Command } from 'commander';
import type { ConnectorStateInfo } from '../../../connect/api/herder.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';
import { addConnectOptions, withConnect, type ConnectOptions } from './client.js';
import { firstLine } from './states.js';

interface StatusOptions extends ConnectOptions, OutputOptions {
  trace?: boolean;
}

export function registerConnectorsStatus(connectors: Command): void {
  const command = connectors
    .command('status <name>')
    .description("A connector's state and each task's, with the worker running it and any failure")
    .option('--trace', 'print whole stack traces, not their first line');
  addConnectOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice connectors status orders-sink\n  venice connectors status orders-sink --json',
    )
    .action(async (name: string, options: StatusOptions) => {
      const status = await withConnect(options, (client) => client.status(name));
      printData(options, status, () => statusText(status, options.trace ?? false));
    });
}

export function statusText(status: ConnectorStateInfo, wholeTraces: boolean): string {
  const failure = (trace: string | undefined) => (trace ? (wholeTraces ? trace : firstLine(trace)) : null);
  const rows = [
    ['connector', status.connector.state, status.connector.worker_id, failure(status.connector.trace)],
    ...status.tasks.map((task) => [`task ${task.id}`, task.state, task.worker_id, failure(task.trace)]),
  ];
  return `${status.name} (${status.type})\n` + renderTable(['', 'state', 'worker', 'error'], rows) + '\n';
}
