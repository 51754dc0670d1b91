// Finds port conflicts before anything starts: tries to bind each port, and for one that is taken
// looks up which process listens there (Linux /proc; best effort, null when it cannot be told).
import fs from 'node:fs';
import net from 'node:net';
import { commandLine } from './process-info.js';
import { PORT_SETTINGS, howToChangePort, type PortName } from '../config/settings.js';

export interface PortHolder {
  pid: number;
  command: string | null;
}

export interface PortConflict {
  name: PortName;
  port: number;
  host: string;
  /** Why it cannot be bound: in use, or not permitted (a port below 1024 without privileges). */
  cause: 'in use' | 'permission denied';
  holder: PortHolder | null;
}

export interface WantedPort {
  name: PortName;
  port: number;
}

export async function findPortConflicts(host: string, ports: readonly WantedPort[]): Promise<PortConflict[]> {
  const conflicts: PortConflict[] = [];
  for (const { name, port } of ports) {
    const cause = await tryBind(host, port);
    if (cause !== null)
      conflicts.push({ name, port, host, cause, holder: cause === 'in use' ? findListener(port) : null });
  }
  return conflicts;
}

/** Two settings asking for the same port would make the second component fail to start. */
export function findDuplicatePorts(ports: readonly WantedPort[]): [WantedPort, WantedPort] | null {
  for (let i = 0; i < ports.length; i++) {
    for (let j = i + 1; j < ports.length; j++)
      if (ports[i].port === ports[j].port) return [ports[i], ports[j]];
  }
  return null;
}

export function describeConflict(conflict: PortConflict): { message: string; hint: string } {
  const label = PORT_SETTINGS[conflict.name].label;
  const holder = conflict.holder
    ? ` by pid ${conflict.holder.pid}${conflict.holder.command ? ` (${truncate(conflict.holder.command, 100)})` : ''}`
    : '';
  const message =
    conflict.cause === 'in use'
      ? `port ${conflict.port} (${label}) on ${conflict.host} is already in use${holder}`
      : `port ${conflict.port} (${label}) on ${conflict.host} cannot be bound: permission denied`;
  return {
    message,
    hint: `stop that process, or choose another port with ${howToChangePort(conflict.name)}`,
  };
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function tryBind(host: string, port: number): Promise<PortConflict['cause'] | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EACCES' ? 'permission denied' : 'in use'),
    );
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** The process listening on a TCP port, from /proc/net/tcp{,6} and the socket links under /proc/<pid>/fd. */
export function findListener(port: number): PortHolder | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl, local_address (hex ip:hex port), rem_address, st (0A = LISTEN), ..., inode (10th)
      if (fields.length < 10 || fields[3] !== '0A') continue;
      const localPort = parseInt(fields[1].split(':')[1], 16);
      if (localPort === port && fields[9] !== '0') inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode))
        return { pid: Number(pid), command: commandLine(Number(pid)) };
    }
  }
  return null;
}
