// Every command group of the venice CLI. A new group is one file under commands/ and one line here.
import type { Command } from 'commander';
import { registerBrokerCommand } from './broker.js';

export const COMMAND_GROUPS: readonly ((program: Command) => void)[] = [registerBrokerCommand];
