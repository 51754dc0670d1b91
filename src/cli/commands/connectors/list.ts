// `venice connectors list` (the default verb): each connector with its type, class, state, its tasks'
// states and the first line of any failure.
import type { Command } from 'commander';
import type { ConnectorOverview } from '../../../connect/rest/client.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';
import { addConnectOptions, withConnect, type ConnectOptions } from './client.js';
import { firstFailure, shortClass, tasksSummary } from './states.js';

export function registerConnectorsList(connectors: Command): void {
  const command = connectors
    .command('list', { isDefault: true })
    .description('List connectors with their state, their tasks and the first line of any failure');
  addConnectOptions(addOutputOptions(command))
    .addHelpText('after', '\nExamples:\n  venice connectors\n  venice connectors list --json')
    .action(async (options: ConnectOptions & OutputOptions) => {
      const overview = await withConnect(options, (client) => client.overview());
      printData(options, overview.map(plainEntry), () => overviewText(overview));
    });
}

function plainEntry(entry: ConnectorOverview) {
  return {
    name: entry.name,
    type: entry.info?.type ?? entry.status?.type,
    class: entry.info?.config['connector.class'],
    state: entry.status?.connector.state,
    workerId: entry.status?.connector.worker_id,
    tasks: entry.status?.tasks ?? [],
    error: firstFailure(entry.status),
  };
}

function overviewText(overview: readonly ConnectorOverview[]): string {
  if (overview.length === 0)
    return 'No connectors yet. Create one with `venice connectors new` (or --file config.json).\n';
  return (
    renderTable(
      ['connector', 'type', 'class', 'state', 'tasks', 'error'],
      overview.map((entry) => [
        entry.name,
        entry.info?.type ?? entry.status?.type,
        shortClass(entry.info?.config['connector.class']),
        entry.status?.connector.state,
        tasksSummary(entry.status),
        firstFailure(entry.status),
      ]),
    ) + '\n'
  );
}
