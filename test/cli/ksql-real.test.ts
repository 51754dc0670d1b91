// `venice sql` run as a process (as the supervisor runs it) over a real broker and registry, and
// `venice ksql` against it: a stream created, rows inserted and read back exactly, a bad statement
// answered with its position, and /health for the supervisor.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useKsqlServer } from './ksql-server.js';

describe('venice sql and venice ksql with the real engine', () => {
  const server = useKsqlServer('ksql-real');
  const ksql = server.ksql;

  it('serves /health for the supervisor', async () => {
    const response = await fetch(`${server.url()}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', component: 'sql' });
  });

  it('creates a stream, inserts, and reads the rows back exactly', async () => {
    const created = await ksql([
      '-e',
      "CREATE STREAM PAYMENTS (ID STRING KEY, CENTS BIGINT) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=1);" +
        " INSERT INTO PAYMENTS (ID, CENTS) VALUES ('p1', 9223372036854775807);" +
        " INSERT INTO PAYMENTS (ID, CENTS) VALUES ('p2', 5);",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const read = await ksql([
      '-e',
      "SET 'auto.offset.reset' = 'earliest'; SELECT ID, CENTS FROM PAYMENTS EMIT CHANGES LIMIT 2;",
    ]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toMatch(/\| p1 +\| 9223372036854775807 +\|/);
    expect(read.stdout).toMatch(/\| p2 +\| 5 +\|/);
    const listed = await ksql(['--output', 'json', '-e', 'SHOW STREAMS;']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        '@type': 'streams',
        streams: expect.arrayContaining([expect.objectContaining({ name: 'PAYMENTS' })]),
      }),
    ]);
  });

  it('the prompt answers a bad statement with its position and goes on', async () => {
    const result = await ksql(
      ['--history-file', path.join(server.home, 'history')],
      'SELECT * FORM PAYMENTS;\nSHOW STREAMS;\nexit\n',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/line 1:\d+/);
    expect(result.stdout).toContain('PAYMENTS');
  });
});
