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

/**
 * The Fetch standard's "bad ports": browsers and Node's fetch refuse to connect to them, so the console
 * would not load there and the CLI and the services could not reach an HTTP component on one.
 */
export const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The ports spoken to over HTTP: by browsers (the console) and by fetch (the CLI, the services). */
const HTTP_PORTS: ReadonlySet<PortName> = new Set(['brokerHealth', 'registry', 'connect', 'sql', 'console']);

/** The first HTTP port set to one that browsers and fetch refuse, or null. */
export function findFetchBlockedPort(ports: readonly WantedPort[]): WantedPort | null {
  return ports.find(({ name, port }) => HTTP_PORTS.has(name) && FETCH_BLOCKED_PORTS.has(port)) ?? null;
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
