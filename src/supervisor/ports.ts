// Finds port conflicts before anything starts: tries to bind each port, and for one that is taken
// looks up which process listens there, with the same lookup and message a component uses when its
// own bind fails (service/).
import net from 'node:net';
import type { PortName } from '../config/settings.js';
import { describePortConflict, findListener, type PortHolder } from '../service/index.js';

export { findListener, type PortHolder };

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
  return describePortConflict({ ...conflict, setting: conflict.name });
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
