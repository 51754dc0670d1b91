// How a command stops early. Two things end a command before it is done: its reader going away
// (`venice consume orders | head -1`, EPIPE on stdout) and the user (SIGINT, SIGTERM). Both abort one
// signal that the streaming commands watch, so they leave their group and close their client; if that
// graceful stop takes longer than a moment, the process exits anyway, so the first signal always stops.
// A closed pipe is not a failure: the reader got what it wanted, and the exit status is 0.

/** How long a graceful stop may take before the process exits without finishing it. */
const GRACE_MS = 3_000;

const controller = new AbortController();
let streaming = false;
let pipeClosed = false;

/** True once a stop was asked for: the command ended early and what it still had to print is moot. */
export function stopRequested(): boolean {
  return controller.signal.aborted;
}

/** True once stdout's reader went away: later failures are consequences, not news. */
export function stdoutClosed(): boolean {
  return pipeClosed;
}

/**
 * Watches stdout and stderr for a closed pipe, for every command (main.ts calls it once). Without a
 * listener, EPIPE is an unhandled 'error' event and Node prints a stack trace. A streaming command is
 * stopped; any other finishes on its own, its later writes dropped. Services (up, broker, registry)
 * are not stopped by a closed stdout: only their output is lost.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      pipeClosed = true;
      if (streaming) stopGracefully(0);
    });
}

/**
 * The signal a long-running command (consume, topics show) watches: aborted by the first SIGINT or
 * SIGTERM, or by a closed stdout. Call once per command.
 */
export function commandStopSignal(): AbortSignal {
  streaming = true;
  process.once('SIGINT', () => stopGracefully(130));
  process.once('SIGTERM', () => stopGracefully(143));
  return controller.signal;
}

function stopGracefully(forcedExitCode: number): void {
  if (controller.signal.aborted) return;
  controller.abort();
  // A stop that hangs (a broker that does not answer the leave-group) must not keep the user waiting.
  setTimeout(() => process.exit(pipeClosed ? 0 : forcedExitCode), GRACE_MS).unref();
}
