// The supervisor process: takes the data dir's lock, opens the control channel, starts the components and
// runs until asked to stop (venice down, SIGTERM, Ctrl-C). Used by `venice up --foreground` in the
// user's terminal and by daemon.js, which `venice up` starts in the background.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pino } from 'pino';
import { acquireLock } from './lock.js';
import { ControlRequestError, startControlServer } from './control.js';
import { Supervisor, UnknownComponentError } from './supervisor.js';
import { planStart } from './plan.js';
import { runtimePaths, SUPERVISOR_LOG_NAME } from './paths.js';
import type { SupervisorState } from './state.js';
import type { VeniceConfig } from '../config/settings.js';

export interface RunSupervisorOptions {
  config: VeniceConfig;
  foreground: boolean;
  onChange?: (state: SupervisorState) => void;
  /** The pid of the `venice up` that took the data dir's lock for this supervisor. */
  lockFrom?: number;
}

/** Runs until everything is stopped; resolves with the exit code (0 after a requested stop, 1 on failure). */
export async function runSupervisor(options: RunSupervisorOptions): Promise<number> {
  const { config } = options;
  const paths = runtimePaths(config.dataDir);
  fs.mkdirSync(paths.logsDir, { recursive: true });
  const releaseLock = acquireLock(paths.lockFile, options.lockFrom ?? null);
  const log = pino(
    { name: SUPERVISOR_LOG_NAME, level: config.logLevel },
    pino.destination({ dest: paths.logFile(SUPERVISOR_LOG_NAME), append: true, sync: true }),
  );

  let stopping: Promise<void> | undefined;
  let stopRequested!: () => void;
  const stopWanted = new Promise<void>((resolve) => (stopRequested = resolve));
  const stop = () => {
    stopRequested();
    return (stopping ??= supervisor.stopAll());
  };

  const token = crypto.randomBytes(24).toString('hex');
  const control = await startControlServer(token, {
    status: () => supervisor.state(),
    stop: () => void stop(),
    restart: async (names) => {
      if (supervisor.currentPhase !== 'running') {
        throw new ControlRequestError(
          `the pipeline is ${supervisor.currentPhase}; try again when it is running`,
          409,
        );
      }
      try {
        await supervisor.restart(names);
      } catch (error) {
        if (error instanceof UnknownComponentError) throw new ControlRequestError(error.message, 404);
        throw error;
      }
    },
  });

  const plan = planStart(config);
  // The control handlers above refer to it; nobody can call them before the state file names the port.
  const supervisor: Supervisor = new Supervisor({
    config,
    plan,
    paths,
    log,
    controlPort: control.port,
    token,
    foreground: options.foreground,
    onChange: options.onChange,
  });
  log.info(
    { dataDir: config.dataDir, components: plan.start.map((component) => component.name) },
    'supervisor started',
  );

  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping on signal');
    void stop();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);

  let exitCode = 0;
  try {
    await supervisor.startAll();
  } catch {
    exitCode = 1;
  }
  if (exitCode === 0) {
    await stopWanted;
    await stopping;
  }
  for (const signal of signals) process.off(signal, onSignal);
  await control.close();
  log.info({ phase: supervisor.currentPhase }, 'supervisor exiting');
  releaseLock();
  return exitCode;
}
