// The broker's logger: the service kit's, named after the broker.
import { createLogger, silentLogger, type Logger } from '../service/index.js';
import type { LogLevel } from '../config/settings.js';

export { silentLogger, type Logger };

export function createBrokerLogger(level: LogLevel): Logger {
  return createLogger({ name: 'broker', level });
}
