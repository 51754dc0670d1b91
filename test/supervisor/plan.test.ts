// Start order from the component table: dependencies first, external services replacing components.
import { describe, expect, it } from 'vitest';
import { planStart } from '../../src/supervisor/plan.js';
import {
  COMPONENTS,
  COMPONENT_CATALOG,
  veniceCommand,
  type ComponentDefinition,
} from '../../src/supervisor/components.js';
import { CLI_ENTRY } from '../../src/supervisor/paths.js';
import { backoffDelay } from '../../src/supervisor/managed-component.js';
import { loadConfig } from '../../src/config/load.js';
import type { VeniceConfig } from '../../src/config/settings.js';

function config(overrides: Partial<VeniceConfig> = {}): VeniceConfig {
  return { ...loadConfig({ cwd: '/tmp', env: {}, catalog: COMPONENT_CATALOG }), ...overrides };
}

function component(name: string, dependsOn: string[] = []): ComponentDefinition {
  return {
    name,
    description: name,
    dependsOn,
    enabledByDefault: true,
    ports: [],
    replacedBy: () => null,
    keepsData: false,
    command: () => veniceCommand([name]),
    healthCheck: () => ({ kind: 'http', url: `http://127.0.0.1:1/${name}` }),
    endpoints: () => [],
    readyTimeoutMs: 1000,
  };
}

describe('planStart', () => {
  it('starts the broker first, with its ports and health endpoint', () => {
    const plan = planStart(config());
    expect(plan.start[0].name).toBe('broker');
    const broker = plan.start[0];
    const command = broker.command({ config: config(), dataDir: '/data/broker', logLevel: 'debug' });
    expect(command.executable).toBe(process.execPath);
    expect(command.args).toEqual([
      CLI_ENTRY,
      'broker',
      '--host',
      '127.0.0.1',
      '--port',
      '9092',
      '--data-dir',
      '/data/broker',
      '--log-level',
      'debug',
      '--health-port',
      '9644',
      '--retention-ms',
      '-1',
      '--group-initial-rebalance-delay-ms',
      '0',
    ]);
    expect(broker.healthCheck(config({ host: '0.0.0.0' }))).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:9644/health',
    });
    expect(COMPONENT_CATALOG.defaults).toContain('broker');
  });

  it('starts the registry after the broker, pointed at it', () => {
    const plan = planStart(config());
    expect(plan.start.map((item) => item.name)).toEqual([
      'broker',
      'registry',
      'sql',
      'postgres',
      'connect',
      'console',
    ]);
    const registry = plan.start[1];
    expect(registry.waitsForDependencies).toBe(true);
    expect(registry.command({ config: config(), dataDir: '/data/registry', logLevel: 'info' }).args).toEqual([
      CLI_ENTRY,
      'registry',
      '--host',
      '127.0.0.1',
      '--port',
      '8081',
      '--bootstrap-servers',
      '127.0.0.1:9092',
      '--log-level',
      'info',
    ]);
    expect(registry.healthCheck(config())).toEqual({ kind: 'http', url: 'http://127.0.0.1:8081/health' });
  });

  it('starts sql beside the broker and the registry, pointed at both', () => {
    const sql = planStart(config()).start.find((item) => item.name === 'sql');
    // It waits for the registry itself while it replays its command topic (test/sql/engine/registry-late.test.ts),
    // and for Kafka while it creates that topic (test/sql/engine/kafka-late.test.ts).
    expect(sql?.dependsOn).toEqual(['broker']);
    expect(sql?.waitsForDependencies).toBe(true);
    expect(sql?.command({ config: config(), dataDir: '/data/sql', logLevel: 'info' }).args).toEqual(
      expect.arrayContaining([
        '--bootstrap-servers',
        '127.0.0.1:9092',
        '--registry-url',
        'http://127.0.0.1:8081',
      ]),
    );
    const onlySql = planStart(config({ components: ['sql'] }));
    expect(onlySql.start.map((item) => item.name)).toEqual(['broker', 'sql']);
  });

  it('starts connect beside the broker, pointed at Kafka, the registry and PostgreSQL', () => {
    const connect = planStart(config()).start.find((item) => item.name === 'connect');
    expect(connect?.dependsOn).toEqual(['broker']);
    // It retries Kafka itself while the broker starts (test/connect/rest/service.test.ts).
    expect(connect?.waitsForDependencies).toBe(true);
    expect(connect?.ports).toEqual(['connect']);
    expect(connect?.command({ config: config(), dataDir: '/data/connect', logLevel: 'info' }).args).toEqual([
      CLI_ENTRY,
      'connect',
      '--host',
      '127.0.0.1',
      '--port',
      '8083',
      '--bootstrap-servers',
      '127.0.0.1:9092',
      '--registry-url',
      'http://127.0.0.1:8081',
      '--postgres-url',
      'postgres://postgres@127.0.0.1:5433/postgres',
      '--log-level',
      'info',
    ]);
    const external = config({ postgresUrl: 'postgres://u:p@db:5432/x' });
    expect(connect?.command({ config: external, dataDir: '/d', logLevel: 'info' }).args).toContain(
      'postgres://u:p@db:5432/x',
    );
    expect(connect?.healthCheck(config())).toEqual({ kind: 'http', url: 'http://127.0.0.1:8083/health' });
    expect(COMPONENT_CATALOG.defaults).toContain('connect');
    expect(COMPONENT_CATALOG.planned).not.toContain('connect (#11)');
  });

  it('orders dependencies first and adds the ones not listed', () => {
    const table = [
      component('console', ['sql', 'registry']),
      component('sql', ['broker', 'registry']),
      component('registry', ['broker']),
      component('broker'),
    ];
    const plan = planStart(config({ components: ['console'] }), table);
    expect(plan.start.map((item) => item.name)).toEqual(['broker', 'registry', 'sql', 'console']);
  });

  it('leaves out a component an external service replaces', () => {
    const plan = planStart(config({ bootstrapServers: 'kafka:9092' }));
    expect(plan.start.map((item) => item.name)).toEqual([
      'registry',
      'sql',
      'postgres',
      'connect',
      'console',
    ]);
    const external = config({ bootstrapServers: 'kafka:9092' });
    expect(plan.start[0].command({ config: external, dataDir: '/d', logLevel: 'info' }).args).toContain(
      'kafka:9092',
    );
    expect(plan.replaced.map((item) => [item.component.name, item.reason])).toEqual([
      ['broker', 'using the external Kafka cluster at kafka:9092'],
    ]);
  });

  it('refuses dependency cycles and unknown dependencies', () => {
    expect(() =>
      planStart(config({ components: ['a'] }), [component('a', ['b']), component('b', ['a'])]),
    ).toThrow(/cycle/);
    expect(() => planStart(config({ components: ['a'] }), [component('a', ['ghost'])])).toThrow(
      'a depends on unknown component ghost',
    );
  });

  it('every component in the table has a unique name and known dependencies', () => {
    const names = COMPONENTS.map((item) => item.name);
    expect(new Set(names).size).toBe(names.length);
    for (const item of COMPONENTS)
      for (const dependency of item.dependsOn) expect(names).toContain(dependency);
  });
});

describe('restart backoff', () => {
  it('doubles from half a second up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(backoffDelay)).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});
