// The npm client ksqldb-client (cleartext HTTP/2, one JSON line a DATA frame) against the REST server
// with a scripted engine: proves the HTTP/2 framing now; ksqldb-client.test.ts runs the same client
// against the real engine.
import { expect, it } from 'vitest';
import { silentLogger } from '../../../src/service/index.js';
import { startSql } from '../../../src/sql/service.js';
import { temporaryDataDir } from '../../helpers/broker.js';
import { ksqldbClient } from './ksqldb-client-types.js';
import { ScriptedEngine } from './scripted-engine.js';

it('ksqldb-client lists, inserts, streams, terminates and reads errors over HTTP/2', async () => {
  const engine = new ScriptedEngine();
  const stream = {
    type: 'STREAM' as const,
    name: 'S',
    topic: 's',
    keyFormat: 'KAFKA',
    valueFormat: 'JSON',
    isWindowed: false,
  };
  engine.statements.set('LIST STREAMS;', [
    { '@type': 'streams', statementText: 'LIST STREAMS;', warnings: [], streams: [stream] },
  ]);
  const column = [{ name: 'ID', type: 'STRING' }];
  const rows = [{ values: ['a'] }, { values: ['b'] }];
  engine.queries.set('SELECT ID FROM S EMIT CHANGES;', {
    columns: column,
    isPullQuery: false,
    rows,
    endless: true,
  });
  engine.queries.set('SELECT ID FROM S EMIT CHANGES LIMIT 2;', { columns: column, isPullQuery: false, rows });
  const sql = await startSql({
    bootstrapServers: '127.0.0.1:1',
    port: 0,
    dataDir: temporaryDataDir('sql-npm'),
    logger: silentLogger(),
    createEngine: () => engine,
  });
  const client = ksqldbClient(sql.host, sql.port);
  try {
    await client.connect();
    expect((await client.listStreams()).map((s) => s.name)).toEqual(['S']);
    expect((await client.insertInto('S', { ID: 'a' })).status).toBe(200);
    expect(engine.inserted.at(-1)).toEqual({ target: 'S', row: { ID: 'a' } });

    const limited: unknown[] = [];
    const answer = await client.streamQuery('SELECT ID FROM S EMIT CHANGES LIMIT 2;', (data) =>
      limited.push(...(data.rows ?? [])),
    );
    expect(answer.status).toBe(200);
    expect(limited).toEqual([{ ID: 'a' }, { ID: 'b' }]);

    let queryId = '';
    const live: unknown[] = [];
    const running = client.streamQuery('SELECT ID FROM S EMIT CHANGES;', (data) => {
      queryId = data.metadata?.queryId ?? queryId;
      live.push(...(data.rows ?? []));
    });
    await expect.poll(() => live.length).toBe(2);
    expect((await client.terminatePushQuery(queryId)).status).toBe(200);
    expect((await running).status).toBe(200);
    expect(engine.closed).toContain(queryId);

    const bad = await client.executeStatement('DROP STREAM X;');
    expect(bad.status).toBe(400);
  } finally {
    await client.disconnect();
    await sql.stop();
  }
});
