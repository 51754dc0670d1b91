// The layout of the data dir (each component's own folder, the logs, the supervisor's files), and how to
// run the venice CLI again. Nothing else knows where things are kept: a component is given its folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bin/venice.js of this installation; the same from src/ (tests) and dist/ (built), two levels down. */
export const CLI_ENTRY = fileURLToPath(new URL('../../bin/venice.js', import.meta.url));

/** The background supervisor's entry (daemon.js beside this module, in dist/ once built). */
export const DAEMON_ENTRY = fileURLToPath(new URL('./daemon.js', import.meta.url));

export interface RuntimePaths {
  dataDir: string;
  logsDir: string;
  /** Files of the running supervisor: state, lock, the configuration it was started with. */
  runDir: string;
  stateFile: string;
  lockFile: string;
  launchConfigFile: string;
  logFile(component: string): string;
  /** The folder a component keeps its data in (the broker's log segments): `<dataDir>/<component>`. */
  componentDataDir(component: string): string;
}

export const SUPERVISOR_LOG_NAME = 'supervisor';

export function runtimePaths(dataDir: string): RuntimePaths {
  const logsDir = path.join(dataDir, 'logs');
  const runDir = path.join(dataDir, 'run');
  return {
    dataDir,
    logsDir,
    runDir,
    stateFile: path.join(runDir, 'state.json'),
    lockFile: path.join(runDir, 'supervisor.lock'),
    launchConfigFile: path.join(runDir, 'launch-config.json'),
    logFile: (component) => path.join(logsDir, `${component}.log`),
    componentDataDir: (component) => path.join(dataDir, component),
  };
}

/** The folder of one component in a data dir; for `venice broker`'s default (`./.venice/broker`). */
export function componentDataDir(dataDir: string, component: string): string {
  return runtimePaths(dataDir).componentDataDir(component);
}
