// The broker's structured log (pino). The supervisor sends stdout to the component's log file.
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string = process.env.VENICE_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'broker', level });
}

/** A logger that drops everything, for tests and tools that embed the broker. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
