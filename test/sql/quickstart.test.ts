// ksqlDB's quickstart (https://ksqldb.io/quickstart.html) run unchanged against `venice sql` as a
// process over a real broker, twice: through `venice ksql` (two CLI sessions, as the quickstart has
// them: one running the push query, the other inserting and asking the pull query) and through the
// REST API (/ksql and /query-stream). Both must give what the quickstart documents: the push query
// shows the three riders within 5 miles of Mountain View as they are inserted, and the pull query the
// riders at 0 and 10 miles. The defaults are ksqlDB's: queries start from the latest offsets, so each
// query is running before the rows are inserted, as in the quickstart.
// The `venice ksql` sessions run the built CLI (`npm run build` first).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { runVenice, startVenice } from '../cli/run-venice.js';
import { startSqlProcess, stopSqlProcess } from './helpers/sql-process.js';
import { post } from './server/http.js';

// The quickstart's statements, as it gives them.
const CREATE_STREAM = `CREATE STREAM riderLocations (profileId VARCHAR, latitude DOUBLE, longitude DOUBLE)
  WITH (kafka_topic='locations', value_format='json', partitions=1);`;

const CREATE_TABLES = `CREATE TABLE currentLocation AS
  SELECT profileId,
         LATEST_BY_OFFSET(latitude) AS la,
         LATEST_BY_OFFSET(longitude) AS lo
  FROM riderlocations
  GROUP BY profileId
  EMIT CHANGES;

CREATE TABLE ridersNearMountainView AS
  SELECT ROUND(GEO_DISTANCE(la, lo, 37.4133, -122.1162), -1) AS distanceInMiles,
         COLLECT_LIST(profileId) AS riders,
         COUNT(*) AS count
  FROM currentLocation
  GROUP BY ROUND(GEO_DISTANCE(la, lo, 37.4133, -122.1162), -1);`;

const PUSH_QUERY = `-- Mountain View lat, long: 37.4133, -122.1162
SELECT * FROM riderLocations
  WHERE GEO_DISTANCE(latitude, longitude, 37.4133, -122.1162) <= 5 EMIT CHANGES;`;

const INSERTS = `INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('c2309eec', 37.7877, -122.4205);
INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('18f4ea86', 37.3903, -122.0643);
INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('4ab5cbad', 37.3952, -122.0813);
INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('8b6eae59', 37.3944, -122.0813);
INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('4a7c7b41', 37.4049, -122.0822);
INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('4ddad000', 37.7857, -122.4011);`;

const PULL_QUERY = 'SELECT * from ridersNearMountainView WHERE distanceInMiles <= 10;';

/** The push query's rows the quickstart shows, in insertion order. */
const NEAR_RIDERS = [
  ['4ab5cbad', '37.3952', '-122.0813'],
  ['8b6eae59', '37.3944', '-122.0813'],
  ['4a7c7b41', '37.4049', '-122.0822'],
];

/** A broker and `venice sql` on it (a process, on free ports, without a schema registry). */
async function startServer() {
  const broker = await startTestBroker();
  const server = await startSqlProcess(broker.bootstrap, {
    name: 'quickstart',
    dataDir: temporaryDataDir('quickstart-sql'),
  });
  return {
    url: server.url,
    async stop() {
      await stopSqlProcess(server, 'SIGTERM');
      await broker.stop();
    },
  };
}

/** Asks `ask` until `done` accepts its answer (a pull query sees the tables as far as they got). */
async function eventually<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The cells of each `| a | b |` table line of a CLI's output. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

describe('the ksqlDB quickstart through venice ksql', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const files = temporaryDataDir('quickstart-files');
  const home = temporaryDataDir('quickstart-home');
  const file = (name: string, text: string): string => {
    const at = path.join(files, name);
    fs.writeFileSync(at, `${text}\n`);
    return at;
  };

  beforeAll(async () => {
    server = await startServer();
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('creates the stream and tables, shows the push query rows, and answers the pull query', async () => {
    const ksql = (args: string[], input?: string) =>
      runVenice(['ksql', server.url, ...args], { input, env: { HOME: home }, timeoutMs: 60_000 });

    const created = await ksql(['-f', file('create.sql', `${CREATE_STREAM}\n\n${CREATE_TABLES}`)]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Stream created');
    expect(created.stdout).toMatch(/Created query with ID CTAS_CURRENTLOCATION_\d+/);
    expect(created.stdout).toMatch(/Created query with ID CTAS_RIDERSNEARMOUNTAINVIEW_\d+/);

    // The first session runs the push query; the second inserts the riders, piped in at its prompt.
    const push = startVenice(['ksql', server.url, '-f', file('push.sql', PUSH_QUERY)]);
    try {
      await push.waitForOutput(/PROFILEID/, 30_000);
      const inserted = await ksql(['--history-file', path.join(home, 'history')], `${INSERTS}\nexit\n`);
      expect(inserted.code, inserted.stderr).toBe(0);
      expect(inserted.stderr).toBe('');
      await push.waitForOutput(/4a7c7b41/, 30_000);
      const rows = tableRows(push.output());
      expect(rows[0]).toEqual(['PROFILEID', 'LATITUDE', 'LONGITUDE']);
      expect(rows.slice(1)).toEqual(NEAR_RIDERS);
    } finally {
      push.child.kill('SIGINT');
      await push.exited;
    }

    const pull = await eventually(
      () => ksql(['-f', file('pull.sql', PULL_QUERY)]),
      (answer) => tableRows(answer.stdout).length === 3,
    );
    expect(pull.code, pull.stderr).toBe(0);
    const [header, ...rows] = tableRows(pull.stdout);
    expect(header).toEqual(['DISTANCEINMILES', 'RIDERS', 'COUNT']);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['0.0', '[4ab5cbad, 8b6eae59, 4a7c7b41]', '3'],
        ['10.0', '[18f4ea86]', '1'],
      ]),
    );
  }, 180_000);
});

describe('the ksqlDB quickstart through the REST API', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const ksql = (statements: string) => post(server.url, '/ksql', { ksql: statements, streamsProperties: {} });

  beforeAll(async () => {
    server = await startServer();
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('creates the stream and tables, streams the push query rows, and answers the pull query', async () => {
    const created = await ksql(`${CREATE_STREAM}\n${CREATE_TABLES}`);
    expect(created.status, created.text).toBe(200);
    const entities = JSON.parse(created.text) as { commandStatus: { status: string; message: string } }[];
    expect(entities.map((entity) => entity.commandStatus.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(entities.map((entity) => entity.commandStatus.message)).toEqual([
      'Stream created',
      expect.stringMatching(/^Created query with ID CTAS_CURRENTLOCATION_\d+$/),
      expect.stringMatching(/^Created query with ID CTAS_RIDERSNEARMOUNTAINVIEW_\d+$/),
    ]);

    // The push query streams over /query-stream (delimited: the header, then one JSON array a row).
    const controller = new AbortController();
    const response = await fetch(`${server.url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ sql: PUSH_QUERY, properties: {} }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readLines = async (count: number): Promise<string[]> => {
      while (text.split('\n').length - 1 < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text.split('\n').slice(0, count);
    };
    try {
      const [header] = await readLines(1);
      expect(JSON.parse(header as string)).toMatchObject({
        columnNames: ['PROFILEID', 'LATITUDE', 'LONGITUDE'],
        columnTypes: ['STRING', 'DOUBLE', 'DOUBLE'],
      });
      const inserted = await ksql(INSERTS);
      expect(inserted.status, inserted.text).toBe(200);
      const rows = (await readLines(4)).slice(1);
      expect(rows).toEqual(NEAR_RIDERS.map(([id, la, lo]) => `["${id}",${la},${lo}]`));
    } finally {
      controller.abort();
    }

    const pull = await eventually(
      () =>
        post(
          server.url,
          '/query-stream',
          { sql: PULL_QUERY, properties: {} },
          'application/vnd.ksqlapi.delimited.v1',
        ),
      (answer) => answer.text.trim().split('\n').length === 3,
    );
    expect(pull.status, pull.text).toBe(200);
    const [header, ...rows] = pull.text.trim().split('\n');
    expect(JSON.parse(header as string)).toMatchObject({
      columnNames: ['DISTANCEINMILES', 'RIDERS', 'COUNT'],
      columnTypes: ['DOUBLE', 'ARRAY<STRING>', 'BIGINT'],
    });
    // Doubles as ksqlDB's Jackson writes them: 0.0, 10.0.
    expect(rows.sort()).toEqual(['[0.0,["4ab5cbad","8b6eae59","4a7c7b41"],3]', '[10.0,["18f4ea86"],1]']);
  }, 180_000);
});
