// `venice logs` (alias -l): the components' logs from the data dir, pretty-printed, merged by time.
import type { Command } from 'commander';
import { CliError, ExitCode } from '../output.js';
import { integerOption } from '../arguments.js';
import { addLocationOptions, configFromFlags, type ConfigFlags } from '../config-options.js';
import { parseDuration } from '../../config/duration.js';
import { followLogs, formatEntry, logComponents, mergeByTime, readLogFile } from '../../supervisor/logs.js';
import { runtimePaths } from '../../supervisor/paths.js';
import { COMPONENT_NAMES } from '../../supervisor/components.js';

interface LogsOptions extends ConfigFlags {
  follow?: boolean;
  since?: string;
  tail?: number;
}

export function registerLogsCommand(program: Command): void {
  const command = program
    .command('logs')
    .description("Show the components' logs (all when none is named), merged by time")
    .argument('[component...]', `components to show (${[...COMPONENT_NAMES, 'supervisor'].join(', ')})`)
    .option('-f, --follow', 'keep printing new lines as they are written')
    .option('--since <time>', 'only lines from this long ago (10m, 2h, 1d) or since an ISO time')
    .option('-n, --tail <lines>', 'only the last N lines (before following)', integerOption);
  addLocationOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  venice logs\n  venice -l broker -f\n  venice logs --since 10m\n' +
        '  venice logs supervisor --since 2024-05-01T12:00:00Z',
    )
    .action(async (names: string[], options: LogsOptions) => {
      const config = configFromFlags(options);
      const { logsDir, logFile } = runtimePaths(config.dataDir);
      const available = logComponents(logsDir);
      const unknown = names.filter((name) => !available.includes(name));
      if (available.length === 0) {
        throw new CliError(`no logs in ${logsDir}`, 'start the pipeline with `venice up`', ExitCode.notFound);
      }
      if (unknown.length > 0) {
        throw new CliError(
          `no log for ${unknown.join(', ')} in ${logsDir}`,
          `the logs there are: ${available.join(', ')}`,
          ExitCode.notFound,
        );
      }
      const chosen = names.length > 0 ? names : available;
      const since = options.since !== undefined ? parseSince(options.since) : null;
      const width = Math.max(...chosen.map((name) => name.length));
      let entries = mergeByTime(chosen.map((name) => readLogFile(logFile(name), name, since)));
      if (options.tail !== undefined) entries = entries.slice(-Math.max(0, options.tail));
      process.stdout.write(entries.map((entry) => formatEntry(entry, width) + '\n').join(''));
      if (!options.follow) return;
      const follower = followLogs(logsDir, names.length > 0 ? names : null, (entry) =>
        process.stdout.write(formatEntry(entry, width) + '\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          follower.stop();
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

/** --since: a duration back from now ("10m") or a point in time (ISO 8601). */
function parseSince(text: string): number {
  const duration = parseDuration(text);
  if (duration !== null) return Date.now() - duration;
  const time = Date.parse(text);
  if (!Number.isNaN(time)) return time;
  throw new CliError(
    `--since: cannot read ${JSON.stringify(text)} as a duration or a time`,
    'write a duration like 10m, 2h, 1d, or an ISO time like 2024-05-01T12:00:00Z',
    ExitCode.usage,
  );
}
