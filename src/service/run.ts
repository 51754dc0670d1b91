// Running a started component until SIGINT or SIGTERM, then stopping it gracefully. A second signal
// while the stop is under way ends the process at once: the user (or the supervisor's grace period)
// has decided not to wait.
import os from 'node:os';
import type { HealthReport } from './health-server.js';
import type { Logger } from './logger.js';

export interface StoppableService {
  stop(): Promise<void>;
}

/** What every HTTP component (registry, sql, connect, console) gives back once it listens. */
export interface RunningHttpService extends StoppableService {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  health(): HealthReport;
}

/** Where stop signals come from: `process`, or an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface RunUntilSignalOptions {
  /** The component's name, in log lines. */
  name: string;
  logger: Logger;
  signals?: SignalSource;
  /** Ends the process without waiting; called on a second signal during the stop. */
  forceExit?: (code: number) => void;
}

export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Resolves, once a stop signal has come and the service has stopped, with the exit code to use:
 * 0 after a clean stop, 1 when stopping failed. The service may still be starting: the handlers are in
 * place from the first moment, so a SIGTERM that arrives while it starts (the supervisor stopping it
 * early) stops it as soon as it is up instead of killing it halfway. A start that fails rejects.
 */
export function runUntilSignal(
  service: StoppableService | Promise<StoppableService>,
  options: RunUntilSignalOptions,
): Promise<number> {
  const { name, logger } = options;
  const signals = options.signals ?? process;
  const forceExit = options.forceExit ?? ((code: number) => process.exit(code));
  const started = Promise.resolve(service);
  return new Promise((resolve, reject) => {
    let stopping = false;
    const finish = (code: number) => {
      for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
      resolve(code);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn(`${signal} again while stopping: ${name} exits without finishing its stop`);
        forceExit(signalExitCode(signal));
        return;
      }
      stopping = true;
      logger.info(`${signal} received: stopping ${name}`);
      started
        .then((running) => running.stop())
        .then(
          () => {
            logger.info(`${name} stopped`);
            finish(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, `${name} did not stop cleanly`);
            finish(1);
          },
        );
    };
    for (const signal of STOP_SIGNALS) signals.on(signal, onSignal);
    started.catch((error: unknown) => {
      for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
      reject(error);
    });
  });
}

/** The shell's convention for a process ended by a signal: 128 + the signal's number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}
