// The venice command. Each command group lives in its own file under commands/ and is listed in
// commands/index.ts.
import { Command, CommanderError } from 'commander';
import { COMMAND_GROUPS } from './commands/index.js';
import { addKafkaClientOptions } from './connection.js';
import { ExitCode, reportError } from './output.js';
import { aliasesHelp, expandAlias } from './aliases.js';
import { veniceVersion } from './version.js';
import { exitQuietlyOnClosedPipe, stdoutClosed, stopRequested } from './stop.js';

const program = new Command();
program
  .name('venice')
  .description('An event-streaming starter kit: a Kafka-compatible broker and the services around it.')
  .version(veniceVersion(), '-V, --version', 'print the version of venice')
  // Program options only before the command: `venice schemas show s --version 2` is the subject's version.
  .enablePositionalOptions()
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText('after', aliasesHelp())
  .exitOverride();

exitQuietlyOnClosedPipe();
for (const register of COMMAND_GROUPS) register(program);
addKafkaClientOptions(program);

program
  .parseAsync(expandAlias(process.argv))
  .then(() => {
    // The reader got what it wanted: not a failure, whatever the command would have said.
    if (stdoutClosed()) process.exitCode = ExitCode.ok;
    // Output still queued for a reader that stopped reading would keep the process alive: drop it.
    if (stopRequested()) process.exit();
  })
  .catch((error: unknown) => {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help / version text).
      process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      return;
    }
    // Once the reader of stdout is gone, a failed write is expected, not worth a message.
    if (stdoutClosed()) {
      process.exitCode = ExitCode.ok;
      return;
    }
    process.exitCode = reportError(error);
  });
