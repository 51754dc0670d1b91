// Every command group of the venice CLI. A new group is one file under commands/ and one line here.
import type { Command } from 'commander';
import { registerBrokerCommand } from './broker.js';
import { registerUpCommand } from './up.js';
import { registerDownCommand } from './down.js';
import { registerStatusCommand } from './status.js';
import { registerLogsCommand } from './logs.js';
import { registerRestartCommand } from './restart.js';
import { registerInstallCommand } from './install.js';
import { registerTopicsCommand } from './topics/index.js';
import { registerProduceCommand } from './produce.js';
import { registerConsumeCommand } from './consume.js';
import { registerGroupsCommand } from './groups/index.js';
import { registerAclCommand } from './acl.js';
import { registerRegistryCommand } from './registry.js';
import { registerSchemasCommand } from './schemas/index.js';
import { registerSqlCommand } from './sql.js';
import { registerKsqlCommand } from './ksql.js';
import { registerPostgresCommand } from './postgres.js';
import { registerPsqlCommand } from './psql.js';
import { registerConnectCommand } from './connect.js';
import { registerConnectorsCommand } from './connectors/index.js';
import { registerConsoleCommand } from './console.js';
import { registerDeployCommand } from './deploy.js';
import { registerDemoCommand } from './demo.js';
import { registerPlannedCommands } from './planned.js';
import { registerCertsCommand } from './certs.js';
import { registerUsersCommand } from './users.js';
import { registerHttpUsersCommand } from './http-users.js';

export const COMMAND_GROUPS: readonly ((program: Command) => void)[] = [
  registerBrokerCommand,
  registerUpCommand,
  registerDownCommand,
  registerStatusCommand,
  registerLogsCommand,
  registerRestartCommand,
  registerInstallCommand,
  registerTopicsCommand,
  registerProduceCommand,
  registerConsumeCommand,
  registerGroupsCommand,
  registerHttpUsersCommand,
  registerAclCommand,
  registerRegistryCommand,
  registerSchemasCommand,
  registerSqlCommand,
  registerKsqlCommand,
  registerPostgresCommand,
  registerPsqlCommand,
  registerConnectCommand,
  registerConnectorsCommand,
  registerConsoleCommand,
  registerDeployCommand,
  registerDemoCommand,
  registerCertsCommand,
  registerUsersCommand,
  registerPlannedCommands,
];
