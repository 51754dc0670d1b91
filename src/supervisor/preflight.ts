// Checks made before anything starts: the embedded broker has a listener for the services, no two
// settings share a port, no HTTP port is one browsers and fetch refuse, and every port is free.
import {
  findDuplicatePorts,
  findFetchBlockedPort,
  findPortConflicts,
  describeConflict,
  type WantedPort,
} from './ports.js';
import { PORT_SETTINGS, howToChangePort, type VeniceConfig } from '../config/settings.js';
import type { StartPlan } from './plan.js';
import { checkEmbeddedBroker } from '../config/broker.js';
import { ConfigError } from '../config/errors.js';

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
  if (plan.start.some((component) => component.name === 'broker')) checkBrokerListeners(config);
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
  const blocked = findFetchBlockedPort(ports);
  if (blocked) {
    throw new StartRefused(
      `the ${PORT_SETTINGS[blocked.name].label} port ${blocked.port} is one that browsers and Node's fetch refuse to connect to (a "bad port" of the Fetch standard)`,
      `choose another port with ${howToChangePort(blocked.name)}`,
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

/** The embedded broker must have a listener the services (and the CLI) can use: see config/broker.ts. */
function checkBrokerListeners(config: VeniceConfig): void {
  try {
    checkEmbeddedBroker(config.broker, {
      host: config.host,
      kafkaPort: config.ports.kafka,
      protocol: config.kafkaClient.security?.protocol ?? 'PLAINTEXT',
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new StartRefused(error.message, error.hint ?? '', 'config');
    throw error;
  }
}
