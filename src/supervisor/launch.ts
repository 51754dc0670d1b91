// `venice up` in the background: starts the supervisor as a detached process (daemon.js) and
// follows its progress through the state file until every component is ready or starting failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { separateSecrets } from './launch-secrets.js';
import { DAEMON_ENTRY, runtimePaths, SUPERVISOR_LOG_NAME } from './paths.js';
import { readState, type SupervisorState } from './state.js';
import { readLogTail, fileSize } from './log-tail.js';
import type { VeniceConfig } from '../config/settings.js';
import type { StartPlan } from './plan.js';

export class LaunchFailure extends Error {
  override name = 'LaunchFailure';
  constructor(
    message: string,
    readonly state: SupervisorState | null,
    readonly logTail: string[],
  ) {
    super(message);
  }
}

export async function launchInBackground(
  config: VeniceConfig,
  plan: StartPlan,
  onState: (state: SupervisorState) => void,
): Promise<SupervisorState> {
  const paths = runtimePaths(config.dataDir);
  fs.mkdirSync(paths.runDir, { recursive: true });
  fs.mkdirSync(paths.logsDir, { recursive: true });
  // The resolved configuration travels in a file, not the command line: it may hold a PostgreSQL password.
  // The HTTP and Kafka SASL passwords go in the daemon's environment instead, never written to disk.
  const { config: written, env: secrets } = separateSecrets(config);
  fs.writeFileSync(paths.launchConfigFile, JSON.stringify(written, null, 2) + '\n', { mode: 0o600 });
  fs.rmSync(paths.stateFile, { force: true });

  const supervisorLog = paths.logFile(SUPERVISOR_LOG_NAME);
  const logOffset = fileSize(supervisorLog);
  const output = fs.openSync(supervisorLog, 'a', 0o600);
  const daemonArgs = [
    DAEMON_ENTRY,
    '--launch-config',
    paths.launchConfigFile,
    '--lock-from',
    String(process.pid),
  ];
  const child = spawn(process.execPath, daemonArgs, {
    cwd: config.projectDir,
    detached: true,
    stdio: ['ignore', output, output],
    env: { ...process.env, ...secrets },
  });
  fs.closeSync(output);
  let exitCode: number | null = null;
  child.once('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : 1)));
  child.unref();

  // Each component may take its ready timeout (they start in parallel where they can, but this is a
  // ceiling); the supervisor itself needs a moment to start.
  const deadline =
    Date.now() + 10_000 + plan.start.reduce((total, component) => total + component.readyTimeoutMs, 0);
  let last = '';
  for (;;) {
    const state = readState(paths.stateFile);
    if (state !== null && state.pid === child.pid) {
      const snapshot = JSON.stringify(state);
      if (snapshot !== last) {
        last = snapshot;
        onState(state);
      }
      if (state.phase === 'running') return state;
      if (state.phase === 'failed' || state.phase === 'stopped') {
        throw new LaunchFailure(
          state.error ?? 'the pipeline stopped while starting',
          state,
          failureTail(state),
        );
      }
    }
    if (exitCode !== null) {
      throw new LaunchFailure(
        `the supervisor exited with code ${exitCode} before the pipeline was ready`,
        readState(paths.stateFile),
        readLogTail(supervisorLog, logOffset),
      );
    }
    if (Date.now() > deadline) {
      throw new LaunchFailure(
        'the pipeline did not become ready in time',
        state,
        readLogTail(supervisorLog, logOffset),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The log lines of the component that failed, which say why. */
function failureTail(state: SupervisorState): string[] {
  const failed = state.components.find((component) => component.state === 'failed' && component.lastCrash);
  return failed?.lastCrash?.logTail ?? [];
}
