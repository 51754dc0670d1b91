// Binding a component's port, with one friendly error when it cannot be bound: which port, what it is
// for, which process holds it, and the flag, environment variable and venice.yaml key that change it.
import { PORT_SETTINGS, howToChangePort, type PortName } from '../config/settings.js';
import { findListener, type PortHolder } from './port-holder.js';

/** Which setting a component's port comes from, so that a conflict can say how to change it. */
export interface ListenSetting {
  /** The pipeline setting (venice up's flag, VENICE_* variable and venice.yaml key). */
  setting: PortName;
  /** The flag of the command that runs the component on its own (`--port` of `venice broker`). */
  commandFlag?: string;
}

export interface PortConflict {
  setting: PortName;
  port: number;
  host: string;
  /** Why it cannot be bound: in use, or not permitted (a port below 1024 without privileges). */
  cause: 'in use' | 'permission denied';
  holder: PortHolder | null;
}

/** A component could not start; the message says what happened, the hint what to do about it. */
export class ServiceStartError extends Error {
  override name = 'ServiceStartError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export function describePortConflict(
  conflict: PortConflict,
  commandFlag?: string,
): { message: string; hint: string } {
  const label = PORT_SETTINGS[conflict.setting].label;
  const holder = conflict.holder
    ? ` by pid ${conflict.holder.pid}${conflict.holder.command ? ` (${truncate(conflict.holder.command, 100)})` : ''}`
    : '';
  const message =
    conflict.cause === 'in use'
      ? `port ${conflict.port} (${label}) on ${conflict.host} is already in use${holder}`
      : `port ${conflict.port} (${label}) on ${conflict.host} cannot be bound: permission denied`;
  const ways = howToChangePort(conflict.setting);
  const change = commandFlag ? `${commandFlag} <port> (under \`venice up\`: ${ways})` : ways;
  const hint =
    conflict.cause === 'in use'
      ? `stop that process, or choose another port with ${change}`
      : `choose a port above 1024 with ${change}`;
  return { message, hint };
}

/**
 * Runs `bind` (a server's listen). A port that is taken or not permitted becomes a ServiceStartError
 * naming the holder and the settings; any other failure is passed on as it is.
 */
export async function listenOrExplain<T>(
  where: { host: string; port: number; setting: ListenSetting },
  bind: () => Promise<T>,
): Promise<T> {
  try {
    return await bind();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    const cause = code === 'EACCES' ? 'permission denied' : 'in use';
    const { message, hint } = describePortConflict(
      {
        setting: where.setting.setting,
        port: where.port,
        host: where.host,
        cause,
        holder: cause === 'in use' ? findListener(where.port) : null,
      },
      where.setting.commandFlag,
    );
    throw new ServiceStartError(message, hint);
  }
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
