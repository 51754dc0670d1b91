// `venice groups`: one file per verb, registered here.
import type { Command } from 'commander';
import { registerGroupsList } from './list.js';
import { registerGroupsDescribe } from './describe.js';
import { registerGroupsReset } from './reset.js';
import { registerGroupsDelete } from './delete.js';

const VERBS: readonly ((groups: Command) => void)[] = [
  registerGroupsList,
  registerGroupsDescribe,
  registerGroupsReset,
  registerGroupsDelete,
];

export function registerGroupsCommand(program: Command): void {
  const groups = program
    .command('groups')
    .description('List, inspect, reset and delete consumer groups')
    .addHelpText(
      'after',
      '\nExamples:\n  venice groups\n  venice groups describe billing\n' +
        '  venice groups reset billing --topic orders --to-earliest --execute\n  venice groups delete billing',
    );
  for (const register of VERBS) register(groups);
}
