// The postgres component's row in the supervisor's table: started by default, keeping data, on the
// postgres port, and not started when --postgres-url names the user's own PostgreSQL.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { COMPONENT_CATALOG, componentNamed } from '../../src/supervisor/components.js';
import { temporaryDataDir } from '../helpers/broker.js';

describe('the postgres component', () => {
  const project = temporaryDataDir('postgres-component');
  const component = componentNamed('postgres')!;

  it('runs by default on the postgres port, keeping its data, as `venice postgres`', () => {
    const config = loadConfig({
      cwd: project,
      env: { VENICE_POSTGRES_PORT: '6543' },
      catalog: COMPONENT_CATALOG,
    });
    expect(component).toMatchObject({ enabledByDefault: true, keepsData: true, ports: ['postgres'] });
    expect(COMPONENT_CATALOG.defaults).toContain('postgres');
    expect(COMPONENT_CATALOG.planned?.join(' ')).not.toContain('postgres');
    expect(component.replacedBy(config)).toBeNull();
    const command = component.command({ config, dataDir: '/data/postgres', logLevel: 'info' });
    expect(command.args.slice(1)).toEqual([
      'postgres',
      '--host',
      '127.0.0.1',
      '--port',
      '6543',
      '--data-dir',
      '/data/postgres',
      '--log-level',
      'info',
    ]);
    expect(component.endpoints(config)).toEqual([
      { label: 'PostgreSQL', address: 'postgres://postgres@127.0.0.1:6543/postgres' },
    ]);
    expect(component.healthCheck(config)).toMatchObject({
      kind: 'custom',
      description: 'SELECT 1 on postgres://postgres@127.0.0.1:6543/postgres',
    });
  });

  it('is replaced by the PostgreSQL --postgres-url names, without showing its password', () => {
    const config = loadConfig({
      cwd: project,
      env: { VENICE_POSTGRES_URL: 'postgres://app:secret@db.internal:5432/shop' },
      catalog: COMPONENT_CATALOG,
    });
    expect(component.replacedBy(config)).toBe(
      'using the external PostgreSQL at postgres://app:***@db.internal:5432/shop',
    );
  });
});
