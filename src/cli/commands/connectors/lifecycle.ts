// `venice connectors pause|resume|restart|delete <name>`: each asks the worker, then says what happened.
import type { Command } from 'commander';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';
import { addConnectOptions, withConnect, type ConnectOptions } from './client.js';
import { statusText } from './status.js';

interface RestartOptions extends ConnectOptions, OutputOptions {
  includeTasks?: boolean;
  onlyFailed?: boolean;
}

function verb(connectors: Command, spec: string, description: string, example: string): Command {
  const command = connectors.command(spec).description(description);
  return addConnectOptions(addOutputOptions(command)).addHelpText('after', `\nExample:\n  ${example}`);
}

export function registerConnectorsLifecycle(connectors: Command): void {
  verb(
    connectors,
    'pause <name>',
    'Pause a connector: its tasks stop taking records',
    'venice connectors pause orders-sink',
  ).action(async (name: string, options: ConnectOptions & OutputOptions) => {
    await withConnect(options, (client) => client.pause(name));
    printData(
      options,
      { name, paused: true },
      () => `Pausing ${name}; \`venice connectors resume ${name}\` goes on.\n`,
    );
  });

  verb(
    connectors,
    'resume <name>',
    'Resume a paused connector',
    'venice connectors resume orders-sink',
  ).action(async (name: string, options: ConnectOptions & OutputOptions) => {
    await withConnect(options, (client) => client.resume(name));
    printData(options, { name, resumed: true }, () => `Resuming ${name}.\n`);
  });

  verb(
    connectors,
    'restart <name>',
    'Restart a connector, and with --include-tasks its tasks (--only-failed: only the failed ones)',
    'venice connectors restart orders-sink --include-tasks --only-failed',
  )
    .option('--include-tasks', 'restart its tasks too')
    .option('--only-failed', 'restart only what has failed')
    .action(async (name: string, options: RestartOptions) => {
      const state = await withConnect(options, (client) =>
        client.restart(name, {
          includeTasks: options.includeTasks ?? false,
          onlyFailed: options.onlyFailed ?? false,
        }),
      );
      printData(options, state ?? { name, restarted: true }, () =>
        state === null ? `Restarted ${name}.\n` : `Restarting ${name}:\n${statusText(state, false)}`,
      );
    });

  verb(
    connectors,
    'delete <name>',
    'Delete a connector (the data it wrote stays; its consumer group keeps its offsets)',
    'venice connectors delete orders-sink',
  ).action(async (name: string, options: ConnectOptions & OutputOptions) => {
    await withConnect(options, (client) => client.delete(name));
    printData(options, { name, deleted: true }, () => `Deleted ${name}.\n`);
  });
}
