// Every command group of the venice CLI. A new group is one file under commands/ and one line here.
import type { Command } from 'commander';
import { registerBrokerCommand } from './broker.js';
import { registerTopicsCommand } from './topics.js';
import { registerProduceCommand } from './produce.js';
import { registerConsumeCommand } from './consume.js';
import { registerGroupsCommand } from './groups.js';

export const COMMAND_GROUPS: readonly ((program: Command) => void)[] = [
  registerBrokerCommand,
  registerTopicsCommand,
  registerProduceCommand,
  registerConsumeCommand,
  registerGroupsCommand,
];
