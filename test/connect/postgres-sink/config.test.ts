// The sink's config as the JDBC sink reads it: connection URLs in both forms, cross-key checks, and the
// plugin's names.
import { describe, expect, it } from 'vitest';
import { findConnectorPlugin } from '../../../src/connect/plugins/index.js';
import { postgresSinkPlugin } from '../../../src/connect/plugins/postgres-sink/index.js';
import { checkSinkConfig, parseSinkSettings } from '../../../src/connect/plugins/postgres-sink/config.js';
import { clientConfig, parseConnectionUrl } from '../../../src/connect/plugins/postgres-sink/connection.js';

describe('connection.url', () => {
  it('reads the JDBC form with credentials in the query', () => {
    expect(
      parseConnectionUrl('jdbc:postgresql://db.example:6543/shop?user=fred&password=s3cret&ssl=true'),
    ).toMatchObject({
      host: 'db.example',
      port: 6543,
      database: 'shop',
      user: 'fred',
      password: 's3cret',
      ssl: true,
    });
  });

  it('reads the postgres:// form, and defaults the port', () => {
    expect(parseConnectionUrl('postgres://ann:p%40ss@localhost/app')).toMatchObject({
      host: 'localhost',
      port: 5432,
      database: 'app',
      user: 'ann',
      password: 'p@ss',
      ssl: false,
    });
  });

  it('takes the first of several JDBC hosts, and currentSchema as the search_path', () => {
    const target = parseConnectionUrl('jdbc:postgresql://a:5432,b:5433/db?currentSchema=sales');
    expect(target).toMatchObject({ host: 'a', port: 5432, currentSchema: 'sales' });
    expect(clientConfig(target, { user: 'u', password: null }, 'UTC').options).toBe(
      '-c TimeZone=UTC -c search_path=sales',
    );
  });

  it('URL credentials win over connection.user, as in pgjdbc; connection.user fills in', () => {
    const target = parseConnectionUrl('jdbc:postgresql://h/db?user=fromurl');
    expect(clientConfig(target, { user: 'fromconfig', password: 'pw' }, 'UTC')).toMatchObject({
      user: 'fromurl',
      password: 'pw',
    });
  });

  it('refuses other databases with the forms it takes', () => {
    expect(() => parseConnectionUrl('jdbc:mysql://h/db')).toThrow(/jdbc:postgresql:\/\/.* or postgres:\/\//);
  });
});

describe('config checks', () => {
  it('delete.enabled needs pk.mode=record_key', () => {
    expect(
      checkSinkConfig({ 'delete.enabled': 'true', 'pk.mode': 'record_value' })['delete.enabled']?.[0],
    ).toMatch(/pk\.mode=record_key/);
  });

  it('upsert and update need a primary key', () => {
    expect(checkSinkConfig({ 'insert.mode': 'upsert' })['pk.mode']?.[0]).toMatch(/set pk\.mode/);
  });

  it('checks each key: modes, numbers, booleans, time zones, URLs', () => {
    const issues = checkSinkConfig({
      'insert.mode': 'merge',
      'batch.size': '0',
      'auto.create': 'yes',
      'db.timezone': 'Mars/Olympus',
      'connection.url': 'mysql://x',
    });
    expect(Object.keys(issues).sort()).toEqual([
      'auto.create',
      'batch.size',
      'connection.url',
      'db.timezone',
      'insert.mode',
    ]);
  });

  it('pk.mode=kafka takes no pk.fields or exactly three', () => {
    expect(checkSinkConfig({ 'pk.mode': 'kafka', 'pk.fields': 'a,b' })['pk.fields']?.[0]).toMatch(
      /exactly three/,
    );
  });

  it('a valid JDBC sink config parses with the JDBC defaults', () => {
    const settings = parseSinkSettings({ topics: 'orders', 'connection.url': 'jdbc:postgresql://h/db' });
    expect(settings).toMatchObject({
      insertMode: 'insert',
      pkMode: 'none',
      batchSize: 3000,
      maxRetries: 10,
      retryBackoffMs: 3000,
      tableNameFormat: '${topic}',
      quoteIdentifiers: 'always',
      dbTimezone: 'UTC',
      autoCreate: false,
      autoEvolve: false,
      deleteEnabled: false,
    });
  });

  it('parseSinkSettings throws a ConnectConfigError naming the key', () => {
    expect(() => parseSinkSettings({ 'pk.mode': 'everything' })).toThrow(/pk\.mode must be one of/);
  });
});

describe('the plugin', () => {
  it('is found by the JDBC class name and the Venice aliases', () => {
    for (const name of [
      'io.confluent.connect.jdbc.JdbcSinkConnector',
      'JdbcSinkConnector',
      'PostgresSinkConnector',
      'venice.PostgresSink',
    ]) {
      expect(findConnectorPlugin(name)).toBe(postgresSinkPlugin);
    }
  });

  it('gives each of tasks.max tasks the whole config', async () => {
    const config = { 'connection.url': 'postgres://h/db', topics: 'a' };
    expect(await postgresSinkPlugin.taskConfigs(config, 3)).toEqual([config, config, config]);
  });
});
