// The configuration flags of the lifecycle commands. Kept apart from options.ts (which reads
// venice.yaml) so registering the commands loads nothing heavy.
import type { Command } from 'commander';
import { COMPONENT_NAMES, portsInUse } from '../supervisor/components.js';
import { LOG_LEVELS, PORT_SETTINGS } from './settings.js';

export interface ConfigFlags {
  config?: string;
  dataDir?: string;
  host?: string;
  retention?: string;
  components?: string;
  bootstrapServers?: string;
  postgresUrl?: string;
  logLevel?: string;
  [portFlag: string]: unknown;
}

/** --config and --data-dir: enough for commands that only need to find the pipeline. */
export function addLocationOptions(command: Command): Command {
  return command
    .option('--config <file>', 'venice.yaml to use (default: ./venice.yaml if present; env VENICE_CONFIG)')
    .option('--data-dir <dir>', 'data directory (default: ./.venice; env VENICE_DATA_DIR)');
}

/** Every setting `venice up` takes; port flags only for the ports of components this Venice has. */
export function addStartOptions(command: Command): Command {
  addLocationOptions(command)
    .option('--host <host>', 'interface the components bind (default: 127.0.0.1; env VENICE_HOST)')
    .option(
      '--components <names>',
      `components to start, comma-separated (of: ${COMPONENT_NAMES.join(', ')})`,
    )
    .option('--retention <time>', 'retention of new topics: forever, 7d, 12h, or ms (default: forever)')
    .option('--bootstrap-servers <hosts>', 'use this existing Kafka cluster instead of the embedded broker')
    .option('--postgres-url <url>', 'use this PostgreSQL instead of the embedded one')
    .option('--log-level <level>', `log level of every component (${LOG_LEVELS.join(', ')}; default: info)`);
  for (const name of portsInUse()) {
    const setting = PORT_SETTINGS[name];
    command.option(
      `${setting.flag} <port>`,
      `${setting.label} port (default: ${setting.defaultPort}; env ${setting.env})`,
    );
  }
  return command;
}
