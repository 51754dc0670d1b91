// The pull queries ksqlDB refuses, refused through /query with its messages: clauses a pull query cannot
// have, a WHERE type error quoting the WHERE expression as its statement, a key compared with NULL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './http.js';
import { startRealSql, uniqueName, type RealSqlSetup } from './real-engine.js';

interface ErrorBody {
  '@type': string;
  message: string;
  statementText: string;
}

describe('pull query errors, with the real engine', () => {
  let setup: RealSqlSetup;
  let table: string;
  let stream: string;
  const refusal = async (sql: string): Promise<ErrorBody> => {
    const answer = await post(setup.sql.url, '/query', { ksql: sql, streamsProperties: {} });
    expect(answer.status, answer.text).toBe(400);
    return JSON.parse(answer.text) as ErrorBody;
  };

  beforeAll(async () => {
    setup = await startRealSql();
    stream = uniqueName('pull_input');
    table = uniqueName('pull_counts');
    const answer = await post(setup.sql.url, '/ksql', {
      ksql:
        `CREATE STREAM ${stream} (ID INT KEY, V INT) WITH (KAFKA_TOPIC='${stream.toLowerCase()}', VALUE_FORMAT='JSON', PARTITIONS=1);` +
        `CREATE TABLE ${table} AS SELECT ID, COUNT(*) AS C FROM ${stream} GROUP BY ID;`,
      streamsProperties: {},
    });
    expect(answer.status, answer.text).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await setup?.stop();
  });

  it.each([
    ['A JOIN {stream} I ON A.ID = I.ID', 'JOIN'],
    ['A WINDOW TUMBLING (SIZE 1 SECOND)', 'WINDOW'],
    ['A WHERE ID = 1 GROUP BY ID', 'GROUP BY'],
  ])('refuses FROM table %s as ksqlDB does', async (rest, clause) => {
    const sql = `SELECT * FROM ${table} ${rest.replace('{stream}', stream)};`;
    const body = await refusal(sql);
    expect(body.message).toContain(
      `Pull queries don't support ${clause} clauses. See https://cnfl.io/queries for more info.\n` +
        'Add EMIT CHANGES if you intended to issue a push query.',
    );
  });

  it('refuses ROWPARTITION and ROWOFFSET, which a pull query cannot read', async () => {
    const select = await refusal(`SELECT ROWPARTITION, * FROM ${table};`);
    expect(select.message).toContain(
      "Pull queries don't support the following columns in SELECT clauses: `ROWPARTITION`",
    );
    const where = await refusal(`SELECT * FROM ${table} WHERE ROWOFFSET > 1;`);
    expect(where.message).toContain(
      "Pull queries don't support the following columns in WHERE clauses: `ROWOFFSET`",
    );
  });

  it('quotes the WHERE expression as the statement of a WHERE type error', async () => {
    const body = await refusal(`SELECT * FROM ${table} WHERE ID = '10';`);
    expect(body.message).toContain("Error in WHERE expression: Cannot compare ID (INTEGER) to '10' (STRING)");
    expect(body.statementText).toBe("(ID = '10')");
  });

  it("names the key's type when it is compared with NULL", async () => {
    const body = await refusal(`SELECT * FROM ${table} WHERE ID = NULL;`);
    expect(body.message).toContain(
      "Comparison with NULL not supported: INTEGER = NULL\nUse 'IS NULL' or 'IS NOT NULL' instead.",
    );
    expect(body.statementText).toBe('(ID = null)');
  });
});
