// `venice restart [component...]` (alias -r): restarts components of the running pipeline.
import type { Command } from 'commander';
import { CliError, ExitCode } from '../output.js';
import { addLocationOptions, configFromFlags, type ConfigFlags } from '../config-options.js';
import { findSupervisor } from '../../supervisor/discovery.js';
import { controlRequest, ControlRequestError } from '../../supervisor/control.js';
import { ProgressReporter } from '../../supervisor/progress.js';
import { readState, type SupervisorState } from '../../supervisor/state.js';
import { runtimePaths } from '../../supervisor/paths.js';
import { COMPONENTS, COMPONENT_NAMES, stopSettingsOf } from '../../supervisor/components.js';

export function registerRestartCommand(program: Command): void {
  const command = program
    .command('restart')
    .description('Restart components of the running pipeline (all when none is named)')
    .argument('[component...]', `components to restart (${COMPONENT_NAMES.join(', ')})`);
  addLocationOptions(command)
    .addHelpText('after', '\nExamples:\n  venice restart\n  venice -r broker')
    .action(async (names: string[], options: ConfigFlags) => {
      const config = configFromFlags(options);
      const found = await findSupervisor(config.dataDir);
      if (found.status !== 'running') {
        throw new CliError('Venice is not running', 'start it with `venice up`', ExitCode.unavailable);
      }
      const progress = new ProgressReporter((line) => process.stdout.write(line + '\n'));
      progress.baseline(found.state);
      const stateFile = runtimePaths(config.dataDir).stateFile;
      const watcher = setInterval(() => {
        const state = readState(stateFile);
        if (state !== null && state.pid === found.state.pid) progress.update(state);
      }, 50);
      // A ceiling: each component's longest stop (extended while it reports progress) and its ready timeout.
      const timeoutMs =
        COMPONENTS.reduce(
          (total, component) => total + component.readyTimeoutMs + stopSettingsOf(component).maxMs,
          0,
        ) + 10_000;
      try {
        const state = await controlRequest<SupervisorState>(
          found.state,
          'POST',
          '/restart',
          { components: names },
          timeoutMs,
        );
        progress.update(state);
        const restarted = names.length > 0 ? names : state.components.map((component) => component.name);
        process.stdout.write(`Restarted ${restarted.join(', ')}.\n`);
      } catch (error) {
        if (error instanceof ControlRequestError) {
          throw new CliError(
            error.message,
            error.status === 404
              ? 'see the components with `venice status`'
              : 'see `venice status` and `venice logs`',
            error.status === 404 ? ExitCode.notFound : ExitCode.failure,
          );
        }
        throw error;
      } finally {
        clearInterval(watcher);
      }
    });
}
