// `venice schemas` (alias -s): one file per verb, registered here.
import type { Command } from 'commander';
import { registerSchemasList } from './list.js';
import { registerSchemasShow } from './show.js';
import { registerSchemasRegister } from './register.js';
import { registerSchemasCheck } from './check.js';
import { registerSchemasConfig } from './config.js';
import { registerSchemasDelete } from './delete.js';

const VERBS: readonly ((schemas: Command) => void)[] = [
  registerSchemasList,
  registerSchemasShow,
  registerSchemasRegister,
  registerSchemasCheck,
  registerSchemasConfig,
  registerSchemasDelete,
];

export function registerSchemasCommand(program: Command): void {
  const schemas = program
    .command('schemas')
    .description('List, show, register, check and delete schemas in the schema registry (alias: -s)')
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas\n  venice -s --json\n  venice schemas register orders-value orders.avsc\n' +
        '  venice schemas check orders-value orders-v2.avsc\n  venice schemas show orders-value --version 1\n' +
        '  venice schemas config orders-value --level FULL\n  venice schemas delete orders-value',
    );
  for (const register of VERBS) register(schemas);
}
