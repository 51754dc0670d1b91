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
