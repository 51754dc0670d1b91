// `venice topics` (alias -t): one file per verb, registered here.
import type { Command } from 'commander';
import { registerTopicsList } from './list.js';
import { registerTopicsCreate } from './create.js';
import { registerTopicsDescribe } from './describe.js';
import { registerTopicsShow } from './show.js';
import { registerTopicsDelete } from './delete.js';
import { registerTopicsAlterConfig } from './alter-config.js';

const VERBS: readonly ((topics: Command) => void)[] = [
  registerTopicsList,
  registerTopicsCreate,
  registerTopicsDescribe,
  registerTopicsShow,
  registerTopicsDelete,
  registerTopicsAlterConfig,
];

export function registerTopicsCommand(program: Command): void {
  const topics = program
    .command('topics')
    .description('List, create, inspect, watch and delete topics (alias: -t)')
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics\n  venice -t\n  venice topics create orders -p 3\n  venice topics describe orders\n' +
        '  venice topics show orders -f\n  venice topics delete orders --yes',
    );
  for (const register of VERBS) register(topics);
}
