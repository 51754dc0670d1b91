// Scale out across machines, with network namespaces standing in for machines: one broker in the root
// namespace is "the external Kafka cluster", and two Venice hosts, each in a namespace of its own
// joined to the root by a bridge, run `venice up --components sql,connect --bootstrap-servers <broker>`.
// A persistent query and a PostgreSQL sink are spread over both (the sql servers share the default
// ksql.service.id, the workers the default group.id). Then one host is cut off for good: its
// processes are killed and its namespace deleted mid-stream. The other takes over its partitions:
// PostgreSQL gets every row and the query's output has every key.
//
// PostgreSQL listens on 127.0.0.1 only, so a small forwarder in the root namespace, on the bridge's
// address, carries the hosts' connections to it.
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import {
  CLI,
  cleanEnvironment,
  temporaryProject,
  waitFor,
  type RunResult,
} from '../cli/lifecycle-helpers.js';

const BRIDGE = 'vnc-ha-br';
const ROOT_ADDRESS = '10.216.0.1';
const HOSTS = [
  { name: 'vnc-ha-a', address: '10.216.0.11', veth: 'vnc-ha-a0' },
  { name: 'vnc-ha-b', address: '10.216.0.12', veth: 'vnc-ha-b0' },
] as const;
const BROKER_PORT = 21601;
const POSTGRES_FORWARD_PORT = 21602;
const SQL_PORT = 21610;
const CONNECT_PORT = 21611;
const RECORDS = 1200;
const PARTITIONS = 4;

/** Why this test cannot run here, or null when it can (root, and `ip netns add` works). */
function netnsUnavailable(): string | null {
  if (os.platform() !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  try {
    execFileSync('ip', ['netns', 'add', 'vnc-ha-probe'], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', 'vnc-ha-probe'], { stdio: 'ignore' });
    return null;
  } catch {
    return '`ip netns add` is not permitted here';
  }
}

const unavailable = netnsUnavailable();

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore' });
}

function quietly(run: () => void): void {
  try {
    run();
  } catch {
    // Already gone.
  }
}

function buildNetwork(): void {
  removeNetwork();
  ip('link', 'add', BRIDGE, 'type', 'bridge');
  ip('addr', 'add', `${ROOT_ADDRESS}/24`, 'dev', BRIDGE);
  ip('link', 'set', BRIDGE, 'up');
  for (const host of HOSTS) {
    ip('netns', 'add', host.name);
    ip('link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.name);
    ip('link', 'set', host.veth, 'master', BRIDGE);
    ip('link', 'set', host.veth, 'up');
    ip('-n', host.name, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    ip('-n', host.name, 'link', 'set', 'eth0', 'up');
    ip('-n', host.name, 'link', 'set', 'lo', 'up');
  }
}

/** Kills every process of the namespace, then deletes it: the machine is gone. */
function destroyHost(name: string): void {
  for (const pid of namespacePids(name)) quietly(() => process.kill(pid, 'SIGKILL'));
  quietly(() => ip('netns', 'del', name));
}

function namespacePids(name: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // no such namespace
  }
}

function removeNetwork(): void {
  for (const host of HOSTS) destroyHost(host.name);
  quietly(() => ip('link', 'del', BRIDGE));
}

/** Runs the venice CLI inside a namespace and waits for it to exit. */
function veniceIn(namespace: string, args: string[], cwd: string, timeoutMs = 150_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, CLI, ...args], {
      cwd,
      env: cleanEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`venice ${args.join(' ')} in ${namespace} took over ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Carries connections made to the bridge's address on to the PostgreSQL on 127.0.0.1:5432. */
function startPostgresForwarder(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const upstream = net.connect(5432, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve) => server.listen(POSTGRES_FORWARD_PORT, ROOT_ADDRESS, () => resolve(server)));
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

async function distinctRows(table: string): Promise<number> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`SELECT count(DISTINCT id) AS n FROM "${table}"`);
    return Number(result.rows[0]?.n ?? 0);
  } catch {
    return 0; // not created yet
  } finally {
    await client.end();
  }
}

async function dropTable(table: string): Promise<void> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS "${table}"`);
  await client.end();
}

describe.skipIf(unavailable !== null)(
  `two Venice hosts on one external Kafka cluster${unavailable !== null ? ` (skipped: ${unavailable})` : ''}`,
  { timeout: 420_000 },
  () => {
    let broker: BrokerProcess;
    let forwarder: net.Server;
    let kafka: Kafka;
    const suffix = randomBytes(3).toString('hex');
    const topic = `ha_orders_${suffix}`;
    const output = `HA_DOUBLED_${suffix.toUpperCase()}`;
    const projects = HOSTS.map((host) => temporaryProject(host.name));

    beforeAll(async () => {
      buildNetwork();
      broker = await spawnBroker(temporaryDataDir('ha-kafka'), BROKER_PORT, [
        '--host',
        '0.0.0.0',
        '--advertised-host',
        ROOT_ADDRESS,
      ]);
      forwarder = await startPostgresForwarder();
      kafka = openKafka({ bootstrapServers: `${ROOT_ADDRESS}:${BROKER_PORT}`, clientId: 'ha-test' });
      await dropTable(topic);
    });
    afterAll(async () => {
      await kafka?.close();
      removeNetwork();
      forwarder?.close();
      broker?.child.kill('SIGKILL');
      await dropTable(topic).catch(() => undefined);
    }, 60_000);

    it('spreads a persistent query and a sink over both hosts, and loses nothing when one host disappears', async () => {
      const bootstrap = `${ROOT_ADDRESS}:${BROKER_PORT}`;
      const ups = await Promise.all(
        HOSTS.map((host, index) =>
          veniceIn(
            host.name,
            [
              'up',
              '--components',
              'sql,connect',
              '--bootstrap-servers',
              bootstrap,
              '--postgres-url',
              `postgres://postgres@${ROOT_ADDRESS}:${POSTGRES_FORWARD_PORT}/test`,
              '--host',
              host.address,
              // A private test network: no HTTP authentication, accepted explicitly.
              '--insecure',
              '--sql-port',
              String(SQL_PORT),
              '--connect-port',
              String(CONNECT_PORT),
            ],
            projects[index] as string,
          ),
        ),
      );
      for (const up of ups) expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
      const [first, second] = HOSTS;
      const sqlUrl = `http://${first.address}:${SQL_PORT}/ksql`;
      const connectUrl = (host: (typeof HOSTS)[number]) => `http://${host.address}:${CONNECT_PORT}`;

      // The query, through the first host; the second reads it from the shared command topic.
      await post(sqlUrl, {
        ksql:
          `CREATE STREAM ha_orders_${suffix} (id VARCHAR KEY, amount INT) WITH (kafka_topic='${topic}', ` +
          `value_format='JSON', partitions=${PARTITIONS});` +
          `CREATE STREAM ${output} AS SELECT id, amount * 2 AS doubled FROM ha_orders_${suffix} EMIT CHANGES;`,
        streamsProperties: {},
      });
      // The sink, through the second host; its tasks are shared by the workers of the one group.
      await post(`${connectUrl(second)}/connectors`, {
        name: `ha-sink-${suffix}`,
        config: {
          'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
          'tasks.max': String(PARTITIONS),
          topics: topic,
          'connection.url': `postgres://postgres@${ROOT_ADDRESS}:${POSTGRES_FORWARD_PORT}/test`,
          'insert.mode': 'upsert',
          'pk.mode': 'record_key',
          'pk.fields': 'id',
          'auto.create': 'true',
          'max.retries': '10000',
          'retry.backoff.ms': '200',
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
        },
      });

      // Both hosts work: the sink's tasks run on both workers, the query's group has a member on each.
      await waitFor(
        'the sink tasks to run on both hosts',
        async () => {
          const status = await getJson<{ tasks: { state: string; worker_id: string }[] }>(
            `${connectUrl(first)}/connectors/ha-sink-${suffix}/status`,
          );
          const workers = new Set(
            status?.tasks
              .filter((task) => task.state === 'RUNNING')
              .map((task) => task.worker_id.split(':')[0]),
          );
          return workers.size === 2 && status?.tasks.length === PARTITIONS ? true : undefined;
        },
        120_000,
      );
      await waitFor(
        "the query's group to have a member on each host",
        async () => {
          const groups = await kafka.groups.list();
          const group = groups.find((candidate) => candidate.id.includes(`CSAS_${output}`));
          if (group === undefined) return undefined;
          const described = await kafka.groups.describe(group.id);
          return described.members.length === 2 && described.state === 'Stable' ? true : undefined;
        },
        120_000,
      );

      // Records keep coming while the first host disappears.
      const produced = (async () => {
        for (let i = 0; i < RECORDS; i += 20) {
          await kafka.produce(
            Array.from({ length: 20 }, (_, j) => ({
              topic,
              key: Buffer.from(`k${i + j}`),
              value: Buffer.from(JSON.stringify({ amount: i + j })),
            })),
          );
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      await waitFor(
        'the first rows in PostgreSQL',
        async () => ((await distinctRows(topic)) >= 200 ? true : undefined),
        120_000,
      );
      destroyHost(first.name);
      await produced;

      await waitFor(
        `all ${RECORDS} rows in PostgreSQL`,
        async () => ((await distinctRows(topic)) === RECORDS ? true : undefined),
        180_000,
      );
      const keys = await waitFor(
        `all ${RECORDS} keys in ${output}`,
        async () => {
          const seen = new Map<string, number>();
          for await (const record of kafka.consume({
            topic: output,
            from: { kind: 'beginning' },
            stopAtEnd: true,
          })) {
            const value = JSON.parse(record.value?.toString() ?? '{}') as { DOUBLED?: number };
            seen.set(record.key?.toString() ?? '', value.DOUBLED ?? -1);
          }
          return seen.size === RECORDS ? seen : undefined;
        },
        180_000,
      );
      expect(keys.get('k7')).toBe(14);
      expect(keys.get(`k${RECORDS - 1}`)).toBe(2 * (RECORDS - 1));
    });
  },
);
