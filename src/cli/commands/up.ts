// `venice up`: starts every enabled component as a supervised process, in dependency order, each gated by
// its health check, then prints the endpoints. The supervisor stays in the background; --foreground
// keeps it attached (Ctrl-C stops everything), for containers and service managers.
import type { Command } from 'commander';
import { CliError, ExitCode } from '../output.js';
import { addStartOptions, configFromFlags, type ConfigFlags } from '../config-options.js';
import { findSupervisor, stopOrphans, type OrphanedComponent } from '../../supervisor/discovery.js';
import { planStart, type StartPlan } from '../../supervisor/plan.js';
import { checkBeforeStart, StartRefused } from '../../supervisor/preflight.js';
import { checkHttpExposure } from '../../supervisor/exposure.js';
import { launchInBackground, LaunchFailure } from '../../supervisor/launch.js';
import { ProgressReporter } from '../../supervisor/progress.js';
import { buildReport } from '../../supervisor/report.js';
import { acquireLock, AlreadyRunningError } from '../../supervisor/lock.js';
import { runtimePaths } from '../../supervisor/paths.js';
import { parseLogLine } from '../../supervisor/logs.js';
import { renderStatus } from './status.js';
import type { SupervisorState } from '../../supervisor/state.js';
import type { VeniceConfig } from '../../config/settings.js';

export function registerUpCommand(program: Command): void {
  const command = program
    .command('up')
    .description('Start the pipeline: every enabled component, supervised, in the background')
    .option('--foreground', 'stay attached and stop everything on Ctrl-C (for containers and services)')
    .option(
      '--demo',
      'also run the demo: the ecommerce pipeline (SQL, connectors to PostgreSQL) fed with generated orders',
    )
    .option(
      '--insecure',
      'allow a --host other than loopback without HTTP authentication (anyone on the network gets full access)',
    );
  addStartOptions(command)
    .addHelpText(
      'after',
      '\nSettings come from flags, then VENICE_* environment variables, then venice.yaml, then defaults.\n' +
        '\nExamples:\n  venice up\n  venice up --kafka-port 19092 --data-dir /tmp/venice\n' +
        '  VENICE_LOG_LEVEL=debug venice up --foreground\n' +
        '  venice up --demo --demo-rate 100                          # the ecommerce pipeline with orders flowing\n' +
        '  venice up --bootstrap-servers kafka-1:9092,kafka-2:9092   # use an existing Kafka cluster',
    )
    .action(async (options: ConfigFlags & { foreground?: boolean; demo?: boolean; insecure?: boolean }) => {
      const config = withDemo(configFromFlags(options), options.demo === true);
      const found = await findSupervisor(config.dataDir);
      if (found.status !== 'not-running') {
        process.stdout.write(
          `Venice is already running from ${config.dataDir} (supervisor pid ${found.state.pid}).\n`,
        );
        if (found.status === 'running')
          process.stdout.write(renderStatus(await buildReport(found.state)) + '\n');
        else process.stdout.write('It does not answer; stop it with `venice down`.\n');
        return;
      }
      // Taken before anything else, and handed over to the supervisor: of two `venice up` at once, the
      // second stops here with one line naming the first.
      let releaseLock: () => void;
      try {
        releaseLock = acquireLock(runtimePaths(config.dataDir).lockFile);
      } catch (error) {
        if (error instanceof AlreadyRunningError) throw new CliError(error.message);
        throw error;
      }
      try {
        await startPipeline(config, found.orphans, options.foreground === true, options.insecure === true);
      } finally {
        releaseLock(); // nothing to release once the supervisor has taken it over
      }
    });
}

/** --demo adds the demo component to whatever venice.yaml or --components list. */
function withDemo(config: VeniceConfig, demo: boolean): VeniceConfig {
  if (!demo || config.components.includes('demo')) return config;
  return { ...config, components: [...config.components, 'demo'] };
}

async function startPipeline(
  config: VeniceConfig,
  orphans: readonly OrphanedComponent[],
  foreground: boolean,
  insecure: boolean,
): Promise<void> {
  if (orphans.length > 0) {
    process.stdout.write(
      `Stopping ${orphans.map((orphan) => `${orphan.name} (pid ${orphan.pid})`).join(', ')}, left running by a supervisor that was killed.\n`,
    );
    await stopOrphans(orphans);
  }
  const plan = planStart(config);
  try {
    checkHttpExposure(
      config,
      plan.start.map((component) => component.name),
      insecure,
    );
    await checkBeforeStart(config, plan);
  } catch (error) {
    if (error instanceof StartRefused) {
      throw new CliError(
        error.message,
        error.hint,
        error.kind === 'config' ? ExitCode.usage : ExitCode.failure,
      );
    }
    throw error;
  }
  announce(config, plan);
  if (foreground) await runAttached(config, plan);
  else await runDetached(config, plan);
}

function announce(config: VeniceConfig, plan: StartPlan): void {
  const write = (text: string) => process.stdout.write(text + '\n');
  write(`Starting Venice in ${config.projectDir} (data in ${config.dataDir})`);
  for (const { component, reason } of plan.replaced)
    write(`  ${component.name.padEnd(8)}  not started: ${reason}`);
}

async function runDetached(config: VeniceConfig, plan: StartPlan): Promise<void> {
  const progress = new ProgressReporter((line) => process.stdout.write(line + '\n'));
  try {
    const state = await launchInBackground(config, plan, (state) => progress.update(state));
    printEndpoints(state);
    process.stdout.write('Stop it with `venice down`; follow its logs with `venice logs -f`.\n');
  } catch (error) {
    if (error instanceof LaunchFailure) throw startFailed(error.message, error.logTail, error.state);
    throw error;
  }
}

async function runAttached(config: VeniceConfig, plan: StartPlan): Promise<void> {
  const progress = new ProgressReporter((line) => process.stdout.write(line + '\n'));
  let announced = false;
  let last: SupervisorState | null = null;
  // Loaded here: the supervisor's logger is needed only by the process that supervises.
  const { runSupervisor } = await import('../../supervisor/runner.js');
  let exitCode: number;
  try {
    exitCode = await runSupervisor({
      config,
      foreground: true,
      lockFrom: process.pid,
      onChange: (state) => {
        last = state;
        progress.update(state);
        if (state.phase === 'running' && !announced) {
          announced = true;
          printEndpoints(state);
          process.stdout.write('Press Ctrl-C to stop.\n');
        }
      },
    });
  } catch (error) {
    if (error instanceof AlreadyRunningError) {
      throw new CliError(error.message, 'see it with `venice status`, stop it with `venice down`');
    }
    throw error;
  }
  const final = last as SupervisorState | null;
  if (exitCode !== 0) {
    const failed = final?.components.find((component) => component.state === 'failed');
    throw startFailed(
      final?.error ?? 'the pipeline failed to start',
      failed?.lastCrash?.logTail ?? [],
      final,
    );
  }
  if (plan.start.length > 0) process.stdout.write('Venice stopped.\n');
  // Nothing else keeps the process: pino's sync destination and the control server are closed.
  process.exitCode = ExitCode.ok;
}

function printEndpoints(state: SupervisorState): void {
  const endpoints = state.components.flatMap((component) => component.endpoints);
  if (state.externalKafka)
    endpoints.unshift({ label: 'Kafka', address: `${state.bootstrapServers} (external)` });
  const width = Math.max(...endpoints.map((endpoint) => endpoint.label.length), 4);
  process.stdout.write(`\nVenice is running (supervisor pid ${state.pid}):\n`);
  for (const endpoint of endpoints)
    process.stdout.write(`  ${endpoint.label.padEnd(width)}  ${endpoint.address}\n`);
  process.stdout.write(`  ${'Data'.padEnd(width)}  ${state.dataDir}\n\n`);
}

function startFailed(message: string, logTail: readonly string[], state: SupervisorState | null): CliError {
  const failed = state?.components.find((component) => component.state === 'failed');
  const lines = logTail.slice(-8).map((line) => `    ${parseLogLine(line, '', null).message.split('\n')[0]}`);
  const hint =
    (lines.length > 0 ? `its last log lines:\n${lines.join('\n')}\n  ` : '') +
    `see the whole log with \`venice logs ${failed?.name ?? 'supervisor'}\``;
  return new CliError(message, hint, ExitCode.failure);
}
