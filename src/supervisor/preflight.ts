// Checks made before anything starts: no two settings share a port, and every port is free.
import { findDuplicatePorts, findPortConflicts, describeConflict, type WantedPort } from './ports.js';
import { PORT_SETTINGS, howToChangePort, type VeniceConfig } from '../config/settings.js';
import type { StartPlan } from './plan.js';

export class StartRefused extends Error {
  override name = 'StartRefused';
  constructor(
    message: string,
    readonly hint: string,
    readonly kind: 'port-conflict' | 'config',
  ) {
    super(message);
  }
}

export function wantedPorts(config: VeniceConfig, plan: StartPlan): WantedPort[] {
  return plan.start.flatMap((component) =>
    component.ports.map((name) => ({ name, port: config.ports[name] })),
  );
}

export async function checkBeforeStart(config: VeniceConfig, plan: StartPlan): Promise<void> {
  const ports = wantedPorts(config, plan);
  const duplicate = findDuplicatePorts(ports);
  if (duplicate) {
    const [first, second] = duplicate;
    throw new StartRefused(
      `the ${PORT_SETTINGS[first.name].label} and ${PORT_SETTINGS[second.name].label} ports are both set to ${first.port}`,
      `give one of them another port with ${howToChangePort(second.name)}`,
      'config',
    );
  }
  const conflicts = await findPortConflicts(config.host, ports);
  if (conflicts.length > 0) {
    const described = conflicts.map(describeConflict);
    throw new StartRefused(
      described.map((item) => item.message).join('\n  and '),
      described.map((item) => item.hint).join('\n  '),
      'port-conflict',
    );
  }
}
