// Configuration precedence (flags > VENICE_* > venice.yaml > defaults) and venice.yaml validation.
import { KAFKA_CLIENT_KEYS } from '../../src/config/kafka-client.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ComponentCatalog } from '../../src/config/load.js';
import { parseConfigText } from '../../src/config/yaml-file.js';
import { ConfigError } from '../../src/config/errors.js';
import { readFlags, type ConfigFlags } from '../../src/config/flags.js';
import { PORT_NAMES, SETTINGS, SETTING_KEYS } from '../../src/config/settings.js';
import { parseDuration, formatDuration } from '../../src/config/duration.js';

const catalog: ComponentCatalog = { names: ['broker', 'registry'], defaults: ['broker'] };
const flagsToLayer = (flags: ConfigFlags) => readFlags(flags, catalog);

function project(yaml?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-config-'));
  if (yaml !== undefined) fs.writeFileSync(path.join(dir, 'venice.yaml'), yaml);
  return dir;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const cwd = project();
    const config = loadConfig({ cwd, env: {}, catalog });
    expect(config).toEqual({
      projectDir: cwd,
      configFile: null,
      dataDir: path.join(cwd, '.venice'),
      host: '127.0.0.1',
      ports: {
        kafka: 9092,
        brokerHealth: 9644,
        registry: 8081,
        connect: 8083,
        sql: 8088,
        console: 9000,
        postgres: 5433,
      },
      retentionMs: -1,
      components: ['broker'],
      bootstrapServers: null,
      postgresUrl: null,
      kafkaClient: {},
      logLevel: 'info',
      demo: { rate: 10, count: null, seed: null },
      http: {
        server: {
          authenticationMethod: 'NONE',
          users: [],
          usersSource: null,
          roles: ['*'],
          readOnlyRoles: ['readonly'],
          tlsCert: null,
          tlsKey: null,
          allowedHosts: null,
          corsOrigins: [],
        },
        client: { user: null, password: null, ca: null },
      },
      broker: {
        listeners: null,
        listenerSecurityProtocolMap: null,
        advertisedListeners: null,
        sslCertFile: null,
        sslKeyFile: null,
        sslCaFile: null,
        sslClientAuth: 'none',
        saslEnabledMechanisms: null,
        saslPlainUsersFile: null,
        authorizer: false,
        superUsers: [],
        allowEveryoneIfNoAclFound: false,
      },
    });
  });

  it('takes flags over VENICE_* over venice.yaml over defaults, setting by setting', () => {
    const cwd = project(
      [
        'dataDir: ./from-yaml',
        'host: 0.0.0.0',
        'logLevel: warn',
        'retention: 7d',
        'ports:',
        '  kafka: 1001',
        '  brokerHealth: 1002',
        '  registry: 1003',
      ].join('\n'),
    );
    const env = { VENICE_KAFKA_PORT: '2001', VENICE_BROKER_HEALTH_PORT: '2002', VENICE_LOG_LEVEL: 'debug' };
    const config = loadConfig({ cwd, env, flags: { kafkaPort: '3001' }, catalog });
    expect(config.ports.kafka).toBe(3001); // flag
    expect(config.ports.brokerHealth).toBe(2002); // environment
    expect(config.logLevel).toBe('debug'); // environment
    expect(config.ports.registry).toBe(1003); // venice.yaml
    expect(config.host).toBe('0.0.0.0'); // venice.yaml
    expect(config.retentionMs).toBe(7 * 24 * 3600 * 1000);
    expect(config.dataDir).toBe(path.join(cwd, 'from-yaml'));
    expect(config.ports.connect).toBe(8083); // default
    expect(config.configFile).toBe(path.join(cwd, 'venice.yaml'));
  });

  it('resolves venice.yaml paths against its directory, and flag and environment paths against the cwd', () => {
    const projectDir = project('dataDir: data');
    const elsewhere = project();
    const file = path.join(projectDir, 'venice.yaml');
    expect(loadConfig({ cwd: elsewhere, env: {}, configFile: file, catalog }).dataDir).toBe(
      path.join(projectDir, 'data'),
    );
    expect(loadConfig({ cwd: elsewhere, env: { VENICE_CONFIG: file }, catalog }).projectDir).toBe(projectDir);
    expect(
      loadConfig({ cwd: elsewhere, env: { VENICE_DATA_DIR: 'env-data' }, configFile: file, catalog }).dataDir,
    ).toBe(path.join(elsewhere, 'env-data'));
    expect(
      loadConfig({ cwd: elsewhere, env: {}, flags: { dataDir: '/abs/dir' }, configFile: file, catalog })
        .dataDir,
    ).toBe('/abs/dir');
  });

  it('reads external mode, components and retention from every source', () => {
    const cwd = project('external:\n  bootstrapServers: kafka-1:9092, kafka-2:9093\ncomponents: [broker]\n');
    expect(loadConfig({ cwd, env: {}, catalog }).bootstrapServers).toBe('kafka-1:9092,kafka-2:9093');
    const fromEnv = loadConfig({
      cwd,
      env: {
        VENICE_BOOTSTRAP_SERVERS: 'other:9092',
        VENICE_COMPONENTS: 'broker,registry',
        VENICE_RETENTION: '-1',
      },
      catalog,
    });
    expect(fromEnv.bootstrapServers).toBe('other:9092');
    expect(fromEnv.components).toEqual(['broker', 'registry']);
    expect(fromEnv.retentionMs).toBe(-1);
    const fromFlags = loadConfig({
      cwd,
      env: {},
      flags: { postgresUrl: 'postgres://u:p@db:5432/x', retention: 'forever' },
      catalog,
    });
    expect(fromFlags.postgresUrl).toBe('postgres://u:p@db:5432/x');
    expect(fromFlags.retentionMs).toBe(-1);
  });

  it('ignores empty environment variables', () => {
    expect(loadConfig({ cwd: project(), env: { VENICE_KAFKA_PORT: '' }, catalog }).ports.kafka).toBe(9092);
  });

  it('names the bad variable or flag and says how to fix it', () => {
    const error = configError(() => loadConfig({ cwd: project(), env: { VENICE_KAFKA_PORT: 'x' }, catalog }));
    expect(error.message).toBe('VENICE_KAFKA_PORT: expected a port between 1 and 65535, got "x"');
    expect(error.hint).toContain('9092');
    expect(configError(() => flagsToLayer({ bootstrapServers: 'nohost' })).message).toContain(
      '--bootstrap-servers: expected host:port',
    );
    expect(configError(() => flagsToLayer({ logLevel: 'loud' })).hint).toContain('debug');
    expect(
      configError(() => loadConfig({ cwd: project(), env: {}, configFile: 'missing.yaml', catalog })).message,
    ).toMatch(/config file .*missing\.yaml does not exist/);
  });
});

/** An absolute file that exists, for the settings that check theirs; a password on its first line. */
const SECRET_FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'venice-secret-')), 'password');
fs.writeFileSync(SECRET_FILE, 's3cret\n', { mode: 0o600 });
const HASH = 'scrypt$16384$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==';

describe('the settings table', () => {
  const example: Record<string, { raw: string; value: unknown }> = {
    dataDir: { raw: '/data/x', value: '/data/x' },
    host: { raw: '0.0.0.0', value: '0.0.0.0' },
    retentionMs: { raw: '2h', value: 7_200_000 },
    components: { raw: 'registry', value: ['registry'] },
    bootstrapServers: { raw: 'k:1234', value: 'k:1234' },
    postgresUrl: { raw: 'postgres://db/x', value: 'postgres://db/x' },
    logLevel: { raw: 'warn', value: 'warn' },
    demoRate: { raw: '2.5', value: 2.5 },
    demoCount: { raw: '500', value: 500 },
    demoSeed: { raw: '42', value: '42' },
    'http.authenticationMethod': { raw: 'NONE', value: 'NONE' },
    'http.users': {
      raw: `[{"name":"a","password":"${HASH}"}]`,
      value: [{ name: 'a', passwordHash: HASH, roles: [] }],
    },
    'http.roles': { raw: 'admin,ops', value: ['admin', 'ops'] },
    'http.readOnlyRoles': { raw: 'viewer', value: ['viewer'] },
    'http.tlsCert': { raw: '/certs/s.pem', value: '/certs/s.pem' },
    'http.tlsKey': { raw: '/certs/s-key.pem', value: '/certs/s-key.pem' },
    'http.allowedHosts': { raw: 'a.example,b.example', value: ['a.example', 'b.example'] },
    'http.corsOrigins': { raw: 'https://a.example', value: ['https://a.example'] },
    'http.user': { raw: 'alice', value: 'alice' },
    'http.password': { raw: 'pw', value: 'pw' },
    'http.ca': { raw: '/certs/ca.pem', value: '/certs/ca.pem' },
    // Read from the file it names, as http.password.
    'http.passwordFile': { raw: SECRET_FILE, value: 's3cret' },
    'broker.listeners': {
      raw: 'SERVICES://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093',
      value: 'SERVICES://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093',
    },
    'broker.listenerSecurityProtocolMap': {
      raw: 'SERVICES:SASL_PLAINTEXT',
      value: 'SERVICES:SASL_PLAINTEXT',
    },
    'broker.advertisedListeners': { raw: 'EXTERNAL://k.example:9093', value: 'EXTERNAL://k.example:9093' },
    'broker.sslCertFile': { raw: SECRET_FILE, value: SECRET_FILE },
    'broker.sslKeyFile': { raw: SECRET_FILE, value: SECRET_FILE },
    'broker.sslCaFile': { raw: SECRET_FILE, value: SECRET_FILE },
    'broker.sslClientAuth': { raw: 'required', value: 'required' },
    'broker.saslEnabledMechanisms': { raw: 'PLAIN,scram-sha-512', value: ['PLAIN', 'SCRAM-SHA-512'] },
    'broker.saslPlainUsersFile': { raw: SECRET_FILE, value: SECRET_FILE },
    'broker.authorizer': { raw: 'on', value: true },
    'broker.superUsers': { raw: 'User:venice;User:admin', value: ['User:venice', 'User:admin'] },
    'broker.allowEveryoneIfNoAclFound': { raw: 'yes', value: true },
    ...Object.fromEntries(
      PORT_NAMES.map((name, index) => [`ports.${name}`, { raw: `${40001 + index}`, value: 40001 + index }]),
    ),
  };
  const read = (config: ReturnType<typeof loadConfig>, key: string): unknown => {
    if (key.startsWith('ports.')) return config.ports[key.slice(6) as (typeof PORT_NAMES)[number]];
    if (key.startsWith('demo')) return config.demo[key.slice(4).toLowerCase() as 'rate'];
    if (key.startsWith('broker.')) return config.broker[key.slice(7) as 'listeners'];
    if (!key.startsWith('http.')) return config[key as 'host'];
    const name = key.slice(5);
    if (name === 'users') return config.http.server.users;
    if (name === 'passwordFile') return config.http.client.password;
    return name in config.http.client
      ? config.http.client[name as 'user']
      : config.http.server[name as 'roles'];
  };

  it('reads every setting from its flag, its variable and its venice.yaml key', () => {
    // The Kafka client settings are checked together (a SASL username needs a SASL protocol): their own
    // tests are in test/config/kafka-client.test.ts.
    const kafkaClientKeys = new Set<string>(KAFKA_CLIENT_KEYS);
    for (const key of SETTING_KEYS.filter((candidate) => !kafkaClientKeys.has(candidate))) {
      const setting = SETTINGS[key];
      const { raw, value } = example[key];
      const attribute = setting.flag
        .slice(2)
        .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
      const [top, nested] = setting.yaml.split('.');
      const yaml = nested === undefined ? `${top}: ${raw}\n` : `${top}:\n  ${nested}: ${raw}\n`;
      expect(
        read(loadConfig({ cwd: project(), env: {}, flags: { [attribute]: raw }, catalog }), key),
        setting.flag,
      ).toEqual(value);
      expect(
        read(loadConfig({ cwd: project(), env: { [setting.env]: raw }, catalog }), key),
        setting.env,
      ).toEqual(value);
      expect(read(loadConfig({ cwd: project(yaml), env: {}, catalog }), key), setting.yaml).toEqual(value);
      // The default data dir is relative to the project, so it is checked in 'has the documented defaults'.
      // The http settings' defaults are resolved (NONE without users), checked there too.
      if (key !== 'dataDir' && !key.startsWith('http.'))
        expect(read(loadConfig({ cwd: project(), env: {}, catalog }), key), 'default').toEqual(
          setting.default(catalog),
        );
    }
  });
});

describe('docs/configuration.md', () => {
  it('lists every setting of the table, with its names and default', () => {
    const doc = fs.readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const code = (text: string) => `\`${text}\``;
    const expected = SETTING_KEYS.map((key) => {
      const setting = SETTINGS[key];
      const plain = setting.defaultText === 'none' || setting.defaultText.includes(' ');
      return [
        code(setting.yaml),
        code(setting.env),
        code(setting.flag),
        plain ? setting.defaultText : code(setting.defaultText),
      ];
    });
    const start = doc.indexOf('| venice.yaml');
    const rows = doc
      .slice(start)
      .split('\n')
      .slice(2)
      .filter(
        (line, index, lines) => line.startsWith('|') && lines.slice(0, index).every((l) => l.startsWith('|')),
      )
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    const table = [
      '| venice.yaml | environment | flag of `venice up` | default |',
      '| --- | --- | --- | --- |',
      ...expected.map((cells) => `| ${cells.join(' | ')} |`),
    ].join('\n');
    expect(rows, `the settings table in docs/configuration.md should be:\n${table}\n`).toEqual(expected);
  });
});

describe('venice.yaml validation', () => {
  const parse = (text: string) => parseConfigText(text, 'venice.yaml', catalog);

  it('accepts an empty file and comments only', () => {
    expect(parse('')).toEqual({});
    expect(parse('# nothing yet\n')).toEqual({});
  });

  it('reports an unknown key with its line and the likely intended key', () => {
    const error = configError(() => parse('host: 127.0.0.1\nprots:\n  kafka: 9092\n'));
    expect(error.message).toBe('venice.yaml line 2, prots: unknown setting "prots"');
    expect(error.hint).toContain('did you mean "ports"?');
    const nested = configError(() => parse('ports:\n  kafak: 9092\n'));
    expect(nested.message).toBe('venice.yaml line 2, ports.kafak: unknown setting "kafak"');
    expect(nested.hint).toContain('"kafka"');
  });

  it('reports a bad value with its line, key and an example', () => {
    const port = configError(() => parse('ports:\n  kafka: 99999\n'));
    expect(port.message).toBe(
      'venice.yaml line 2, ports.kafka: expected a port between 1 and 65535, got 99999',
    );
    expect(port.hint).toBe('write a whole number, for example 9092');
    const components = configError(() => parse('components: [broker, sql]\n'));
    expect(components.message).toBe('venice.yaml line 1, components: unknown component "sql"');
    expect(components.hint).toBe('the components this Venice has are: broker, registry');
    const retention = configError(() => parse('retention: soon\n'));
    expect(retention.message).toContain('line 1, retention: expected a retention time');
    expect(retention.hint).toContain('7d');
    const postgres = configError(() => parse('external:\n  postgresUrl: mysql://secret@x\n'));
    expect(postgres.message).not.toContain('secret');
    expect(configError(() => parse('ports: 9092\n')).message).toContain('ports: expected nested settings');
  });

  it('reports YAML syntax errors and a file that is not a map', () => {
    expect(configError(() => parse('ports:\n  kafka: 9092\n   brokerHealth: 1\n')).message).toMatch(
      /^venice.yaml line \d+ is not valid YAML/,
    );
    expect(configError(() => parse('- broker\n')).message).toContain('must be a map of settings');
    expect(configError(() => parse('host: a\nhost: b\n')).message).toMatch(
      /not valid YAML.*[Mm]ap keys must be unique/,
    );
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    expect(parseDuration('500')).toBe(500);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('10 m')).toBeNull();
    expect(formatDuration(3_500)).toBe('3s');
    expect(formatDuration(252_000)).toBe('4m 12s');
    expect(formatDuration(7_500_000)).toBe('2h 5m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
  });
});
