// The service kit: what every long-running Venice component (broker, registry; sql, connect and the
// console next) is built from, so that each one logs, listens, reports health and stops the same way.
//
// - createLogger({ name, level }): pino JSON lines on stdout, named after the component. The level is
//   always passed in; the CLI command reads --log-level, falling back to VENICE_LOG_LEVEL.
// - listenOrExplain(where, bind): binds a port; a port in use becomes a ServiceStartError naming the
//   process that holds it and the flag, VENICE_* variable and venice.yaml key that change it. Each
//   component is told which port setting (a PortName of config/settings) each of its ports comes from.
// - startHealthServer(where, report): GET /health, 200 while the report says ok, 503 otherwise, bound
//   through listenOrExplain. A component whose health port cannot be bound fails to start and closes
//   what it had opened, so its process exits non-zero.
// - runUntilSignal(service, options): after start, waits for SIGINT or SIGTERM, stops the service and
//   gives the exit code: 0 after a clean stop, 1 when the stop failed; a second signal during the stop
//   exits at once (128 + signal number).
// - stopProgressReporter(logger, phase): throttled `stopProgress` log lines during a long stop, which
//   the supervisor reads to keep waiting instead of killing a component that is still making progress.
// - findListener(port): the process listening on a port, also used by the supervisor's preflight.
//
// A component's `venice <name>` command is then: create the logger, start the component (which binds
// through the kit), `process.exit(await runUntilSignal(...))`, and turn a ServiceStartError into the
// CLI's error with its hint. The kit imports only config/settings, never the CLI or the supervisor.
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './logger.js';
export { startHealthServer, type HealthReport, type HealthServer } from './health-server.js';
export {
  describePortConflict,
  listenOrExplain,
  ServiceStartError,
  type ListenSetting,
  type PortConflict,
} from './listen.js';
export { stopProgressReporter, type StopProgress } from './stop-progress.js';
export { findListener, commandLine, type PortHolder } from './port-holder.js';
export {
  runUntilSignal,
  signalExitCode,
  STOP_SIGNALS,
  type RunUntilSignalOptions,
  type SignalSource,
  type RunningHttpService,
  type StoppableService,
} from './run.js';
