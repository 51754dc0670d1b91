// The short forms users of the original Venice CLI know (`venice -st`, `venice -t`), mapped to commands.
// They look like flags, so they are rewritten before the command line is parsed.
export const COMMAND_ALIASES: Readonly<Record<string, string>> = {
  '-st': 'status',
  '-l': 'logs',
  '-r': 'restart',
  '-i': 'install',
  '-k': 'ksql',
  '-p': 'psql',
  '-s': 'schemas',
  '-c': 'connectors',
  '-t': 'topics',
};

/** Replaces an alias in the command position (the first argument) with its command name. */
export function expandAlias(argv: readonly string[]): string[] {
  const [node, script, first, ...rest] = argv;
  const command = first !== undefined ? COMMAND_ALIASES[first] : undefined;
  return command ? [node, script, command, ...rest] : [...argv];
}

/** The short forms as a help section, so `venice --help` shows them next to the commands. */
export function aliasesHelp(): string {
  const width = Math.max(...Object.keys(COMMAND_ALIASES).map((alias) => alias.length));
  const lines = Object.entries(COMMAND_ALIASES).map(
    ([alias, command]) => `  ${alias.padEnd(width)}  venice ${command}`,
  );
  return `\nShort forms:\n${lines.join('\n')}\n`;
}
