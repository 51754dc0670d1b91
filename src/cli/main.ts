// The venice command. Each command group lives in its own file under commands/ and registers itself here.
import { Command } from 'commander';
import { registerBrokerCommand } from './commands/broker.js';

const program = new Command();
program
  .name('venice')
  .description('An event-streaming starter kit: a Kafka-compatible broker and the services around it.')
  .showHelpAfterError('(run with --help for usage)');

registerBrokerCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`venice: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
