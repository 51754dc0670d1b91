// The broker's logger: the service kit's, named after the broker. Under `venice up` its stdout is a log
// file on the data volume, which fills up along with the data. pino's default stdout then crashes the
// broker at the first line it cannot write and hangs it at exit; this one keeps the lines it could not
// write in memory (up to a bound, beyond which they are dropped) and writes them once there is room.
import { pino } from 'pino';
import { createLogger, silentLogger, type Logger } from '../service/index.js';
import type { LogLevel } from '../config/settings.js';

export { silentLogger, type Logger };

/** Log lines kept while the disk is full; a broker refusing every write logs once a minute, so this lasts. */
const MAX_UNWRITTEN_LOG_BYTES = 4 * 1024 * 1024;

function stdoutThatSurvivesAFullDisk(): pino.DestinationStream {
  // Synchronous: nothing is buffered for exit, where a buffer that cannot be written would never drain.
  const stream = pino.destination({ dest: 1, sync: true, maxLength: MAX_UNWRITTEN_LOG_BYTES });
  stream.on('error', () => {
    // The line stays buffered and goes out with the next write that succeeds.
  });
  return stream;
}

export function createBrokerLogger(level: LogLevel): Logger {
  return createLogger({ name: 'broker', level, destination: stdoutThatSurvivesAFullDisk() });
}
