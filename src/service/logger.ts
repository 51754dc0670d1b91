// The one way a Venice component logs: pino, one JSON line per event on stdout (the supervisor sends
// stdout to the component's log file), named after the component. The level is always given by the
// caller; reading VENICE_LOG_LEVEL is the CLI's job, so an embedded component never logs by surprise.
import { pino } from 'pino';
import type { LogLevel } from '../config/settings.js';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** The component's name, in every line's `name` field. */
  name: string;
  level: LogLevel;
  /** Where lines go; stdout when left out. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = { name: options.name, level: options.level };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A logger that drops everything, for tests and tools that embed a component. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
