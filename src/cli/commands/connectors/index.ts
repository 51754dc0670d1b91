// `venice connectors` (alias -c): one file per verb group, registered here. They talk to the connect
// worker's REST API (Kafka Connect's), so they work against any Kafka Connect worker too.
import type { Command } from 'commander';
import { registerConnectorsLifecycle } from './lifecycle.js';
import { registerConnectorsList } from './list.js';
import { registerConnectorsNew } from './new.js';
import { registerConnectorsStatus } from './status.js';

const VERBS: readonly ((connectors: Command) => void)[] = [
  registerConnectorsList,
  registerConnectorsNew,
  registerConnectorsStatus,
  registerConnectorsLifecycle,
];

export function registerConnectorsCommand(program: Command): void {
  const connectors = program
    .command('connectors')
    .description(
      'List, create, pause, resume, restart and delete connectors on the connect worker (alias: -c)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  venice connectors\n  venice -c --json\n  venice connectors new\n' +
        '  venice connectors new --file connectors/inventory-sink.json\n  venice connectors status inventory-sink\n' +
        '  venice connectors restart orders-sink --include-tasks --only-failed\n  venice connectors delete orders-sink',
    );
  for (const register of VERBS) register(connectors);
}
