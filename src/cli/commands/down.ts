// `venice down`: stops the pipeline gracefully, last-started component first, and keeps the data.
// --purge then deletes the data dir, after a confirmation.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../output.js';
import { addLocationOptions, configFromFlags, type ConfigFlags } from '../config-options.js';
import { findOrphans, findSupervisor, stopOrphans, terminateProcesses } from '../../supervisor/discovery.js';
import { controlRequest } from '../../supervisor/control.js';
import { isAlive } from '../../supervisor/process-info.js';
import { ProgressReporter } from '../../supervisor/progress.js';
import { readState, type SupervisorState } from '../../supervisor/state.js';
import { runtimePaths } from '../../supervisor/paths.js';

interface DownOptions extends ConfigFlags {
  purge?: boolean;
  yes?: boolean;
}

export function registerDownCommand(program: Command): void {
  const command = program
    .command('down')
    .description('Stop the pipeline gracefully (last started first); the data is kept')
    .option('--purge', 'then delete the data dir: topics, offsets, logs (asks first)')
    .option('-y, --yes', 'with --purge: do not ask');
  addLocationOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  venice down\n  venice down --purge\n  venice down --purge --yes   # in scripts',
    )
    .action(async (options: DownOptions) => {
      const config = configFromFlags(options);
      // Refuse before stopping anything: a purge nobody can confirm is a mistake to catch early.
      if (options.purge && !options.yes && !process.stdin.isTTY) {
        throw new CliError(
          `refusing to delete ${config.dataDir} without confirmation (no terminal to ask on)`,
          'pass --yes to delete it anyway',
          ExitCode.usage,
        );
      }
      const stopped = await stopPipeline(config.dataDir);
      process.stdout.write(
        stopped ? `Venice stopped; the data is kept in ${config.dataDir}.\n` : 'Venice is not running.\n',
      );
      if (options.purge) await purge(config.dataDir, options.yes === true);
    });
}

/** Stops whatever runs from this data dir; false when nothing did. */
async function stopPipeline(dataDir: string): Promise<boolean> {
  const found = await findSupervisor(dataDir);
  if (found.status === 'not-running') {
    if (found.orphans.length === 0) return false;
    process.stdout.write(
      `The supervisor${found.state ? ` (pid ${found.state.pid})` : ''} is gone; stopping what it left running:\n`,
    );
    await stopOrphans(found.orphans, (orphan) =>
      process.stdout.write(`  ${orphan.name.padEnd(8)}  stopping (pid ${orphan.pid})\n`),
    );
    return true;
  }
  const state = found.state;
  process.stdout.write(`Stopping Venice (supervisor pid ${state.pid})\n`);
  if (found.status === 'running') {
    await controlRequest(state, 'POST', '/stop').catch(() => process.kill(state.pid, 'SIGTERM'));
  } else {
    process.kill(state.pid, 'SIGTERM');
  }
  await followShutdown(dataDir, state);
  return true;
}

/**
 * Shows each component stopping, until the supervisor is gone. The supervisor kills a component that
 * overruns its stop deadline (moved on while it reports progress); this waits while any deadline in the
 * state is ahead, or the state changes, and kills what is left if the supervisor itself hangs.
 */
async function followShutdown(dataDir: string, initial: SupervisorState): Promise<void> {
  const stateFile = runtimePaths(dataDir).stateFile;
  const progress = new ProgressReporter((line) => process.stdout.write(line + '\n'));
  progress.baseline(initial);
  const slackMs = 15_000;
  let deadline = Date.now() + slackMs;
  let last = '';
  while (isAlive(initial.pid) && Date.now() < deadline) {
    const state = readState(stateFile);
    if (state !== null && state.pid === initial.pid) {
      progress.update(state);
      const snapshot = JSON.stringify(state.components);
      const stopDeadlines = state.components
        .map((component) => (component.stopDeadline ? Date.parse(component.stopDeadline) : 0))
        .filter((time) => time > 0);
      if (snapshot !== last) deadline = Math.max(deadline, Date.now() + slackMs);
      if (stopDeadlines.length > 0) deadline = Math.max(deadline, Math.max(...stopDeadlines) + slackMs);
      last = snapshot;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const final = readState(stateFile) ?? initial;
  if (final.pid === initial.pid) progress.update(final);
  if (isAlive(initial.pid)) {
    process.stdout.write(`The supervisor did not stop in time; killing it.\n`);
    await terminateProcesses([initial.pid], 0, { wholeGroup: false });
  }
  const leftovers = findOrphans(final);
  if (leftovers.length > 0)
    await terminateProcesses(
      leftovers.map((orphan) => orphan.pid),
      0,
    );
}

async function purge(dataDir: string, confirmed: boolean): Promise<void> {
  if (!fs.existsSync(dataDir)) {
    process.stdout.write(`Nothing to delete: ${dataDir} does not exist.\n`);
    return;
  }
  // Only ever delete a directory Venice made: a mistyped --data-dir must not cost someone their files.
  const looksLikeVenice = ['run', 'logs', 'broker'].some((entry) => fs.existsSync(path.join(dataDir, entry)));
  if (!looksLikeVenice) {
    throw new CliError(
      `${dataDir} does not look like a Venice data dir (no run/, logs/ or broker/ in it); not deleting it`,
      'check --data-dir / VENICE_DATA_DIR / dataDir in venice.yaml',
    );
  }
  if (!confirmed) {
    const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question(
      `Delete ${dataDir} and everything in it (topics, offsets, logs)? [y/N] `,
    );
    prompt.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stdout.write('Kept the data.\n');
      return;
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`Deleted ${dataDir}.\n`);
}
