// Commands users of the original Venice CLI know, whose components are not part of Venice yet. Each
// says what it will do and which issue brings it, and exits with its own code, rather than "unknown
// command". Remove an entry when its component lands.
import type { Command } from 'commander';
import { CliError, ExitCode } from '../output.js';

interface PlannedCommand {
  name: string;
  alias: string;
  /** What the command will do, as a sentence. */
  purpose: string;
  issue: number;
  /** What to use meanwhile, if anything. */
  meanwhile?: string;
}

export const PLANNED_COMMANDS: readonly PlannedCommand[] = [
  {
    name: 'connectors',
    alias: '-c',
    purpose: 'list, create, pause and delete connectors that move data between topics and other systems',
    issue: 11,
    meanwhile: 'write to topics with `venice produce <topic>` and read them with `venice consume <topic>`',
  },
];

export function registerPlannedCommands(program: Command): void {
  for (const planned of PLANNED_COMMANDS)
    program
      .command(planned.name)
      .description(`(planned, issue #${planned.issue}) ${planned.purpose} (alias: ${planned.alias})`)
      .argument('[args...]')
      .allowUnknownOption()
      .helpOption(false)
      .action(() => {
        throw new CliError(
          `${planned.name} is not available yet: it will ${planned.purpose}; it comes with issue #${planned.issue}`,
          planned.meanwhile && `meanwhile, ${planned.meanwhile}`,
          ExitCode.notYetAvailable,
        );
      });
}
