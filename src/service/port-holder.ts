// Which process listens on a TCP port (Linux /proc; best effort, null when it cannot be told). Used by
// a component that fails to bind and by the supervisor's check before start, so both name the holder.
import fs from 'node:fs';

export interface PortHolder {
  pid: number;
  command: string | null;
}

/** The process listening on a TCP port, from /proc/net/tcp{,6} and the socket links under /proc/<pid>/fd. */
export function findListener(port: number): PortHolder | null {
  const inodes = listeningSocketInodes(port);
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

function listeningSocketInodes(port: number): Set<string> {
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
  return inodes;
}

/** The command line of a process, arguments joined by spaces, or null. */
export function commandLine(pid: number): string | null {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean).join(' ') || null;
  } catch {
    return null;
  }
}
