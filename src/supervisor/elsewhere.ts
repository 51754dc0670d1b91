// When no pipeline runs for this data dir, whether one runs for another project on the ports this one
// would use: `status` from the wrong folder should say where the pipeline is, not that there is none.
import fs from 'node:fs';
import path from 'node:path';
import type { PortName, VeniceConfig } from '../config/settings.js';
import { COMPONENT_NAMES, portsInUse } from './components.js';
import { findListener } from './ports.js';
import { commandLine } from './process-info.js';

export interface PipelineElsewhere {
  portName: PortName;
  port: number;
  pid: number;
  /** The Venice component holding the port (broker, registry, ...). */
  component: string;
  /** The folder it was started in (the other project), when /proc tells it. */
  projectDir: string | null;
  /** Its data dir, from its supervisor's launch configuration, when that can be read. */
  dataDir: string | null;
}

/** The first of this configuration's ports held by a Venice component of another data dir, or null. */
export function findPipelineElsewhere(config: VeniceConfig): PipelineElsewhere | null {
  for (const portName of portsInUse()) {
    const port = config.ports[portName];
    const holder = findListener(port);
    if (holder === null || holder.command === null) continue;
    const component = veniceComponentOf(holder.command);
    if (component === null) continue;
    const dataDir = dataDirOf(holder.pid);
    if (dataDir !== null && path.resolve(dataDir) === path.resolve(config.dataDir)) continue;
    return { portName, port, pid: holder.pid, component, projectDir: workingDirectory(holder.pid), dataDir };
  }
  return null;
}

/** `node …/venice.js broker …` → 'broker'; null for a process that is not a Venice component. */
function veniceComponentOf(command: string): string | null {
  const match = /venice(?:\.js)?\s+(\S+)/.exec(command);
  return match !== null && COMPONENT_NAMES.includes(match[1]) ? match[1] : null;
}

function dataDirOf(pid: number): string | null {
  const parent = parentPid(pid);
  const launchConfig =
    parent === null ? undefined : /--launch-config[ =](\S+)/.exec(commandLine(parent) ?? '')?.[1];
  if (launchConfig === undefined) return null; // a foreground `venice up`, or a component run alone
  try {
    const saved = JSON.parse(fs.readFileSync(launchConfig, 'utf8')) as { dataDir?: unknown };
    return typeof saved.dataDir === 'string' ? saved.dataDir : null;
  } catch {
    return null; // not ours to read, or gone
  }
}

function parentPid(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  } catch {
    return null;
  }
}

function workingDirectory(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}
