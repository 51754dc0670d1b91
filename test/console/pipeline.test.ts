// GET /api/pipeline against a real broker, SQL engine and connect worker: a stream, a CSAS query and
// sink connectors appear as nodes with the right edges, rates are measured between calls, and a failed
// connector is marked failed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningConnect } from '../../src/connect/service.js';
import type { PipelineGraph } from '../../src/console/api/pipeline.js';
import { startConsole, type RunningConsole } from '../../src/console/service.js';
import { silentLogger } from '../../src/service/index.js';
import { startPipelineStack, type PipelineStack } from './helpers.js';

let stack: PipelineStack;
let connect: RunningConnect;
let running: RunningConsole;
let alone: RunningConsole;

async function call<T>(base: string, method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

const statement = (sql: string) => call(running.url, 'POST', '/api/sql', { sql });
const pipeline = (base = running.url) => call<PipelineGraph>(base, 'GET', '/api/pipeline');

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  stack = await startPipelineStack('console-pipeline');
  ({ connect, console: running } = stack);
  alone = await startConsole({
    bootstrapServers: stack.broker.bootstrap,
    urls: { registry: null, sql: null, connect: null },
    port: 0,
    logger: silentLogger(),
  });
}, 120_000);

afterAll(async () => {
  await alone?.stop();
  await stack?.stop();
});

describe('console API: the pipeline map', { timeout: 180_000 }, () => {
  it('draws topics, a query and connectors with their edges, rates and failures', async () => {
    await statement(
      "CREATE STREAM visits (id INT, page VARCHAR) WITH (KAFKA_TOPIC='visits', VALUE_FORMAT='JSON', PARTITIONS=1);",
    );
    await statement("CREATE STREAM home_visits AS SELECT id, page FROM visits WHERE page = 'home';");
    const folder = mkdtempSync(path.join(tmpdir(), 'console-pipeline-'));
    await call(connect.url, 'POST', '/connectors', {
      name: 'visits-file',
      config: {
        'connector.class': 'FileStreamSink',
        topics: 'HOME_VISITS',
        file: path.join(folder, 'visits.txt'),
      },
    });
    await call(connect.url, 'POST', '/connectors', {
      name: 'visits-table',
      config: {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
        topics: 'HOME_VISITS',
        'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
        'table.name.format': 'pipeline_${topic}',
      },
    });
    await call(connect.url, 'POST', '/connectors', {
      name: 'broken-file',
      config: {
        'connector.class': 'FileStreamSink',
        topics: 'visits',
        file: path.join(folder, 'no-such-folder', 'out.txt'),
      },
    });

    const graph = await until('the query and the failed connector', async () => {
      const current = await pipeline();
      const failed = current.nodes.find((node) => node.id === 'connector:broken-file')?.status === 'failed';
      const query = current.nodes.some((node) => node.kind === 'query');
      return failed && query ? current : undefined;
    });
    expect(graph.components).toEqual([
      { name: 'connect', state: 'included', detail: null },
      { name: 'sql', state: 'included', detail: null },
    ]);
    const ids = graph.nodes.map((node) => node.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'topic:visits',
        'topic:HOME_VISITS',
        'connector:visits-file',
        'connector:visits-table',
        'connector:broken-file',
        'table:pipeline_HOME_VISITS',
      ]),
    );
    expect(ids.some((id) => /changelog|repartition|^topic:_|connect-(configs|offsets|status)/.test(id))).toBe(
      false,
    );
    const query = graph.nodes.find((node) => node.kind === 'query')!;
    expect(query.status).toBe('ok');
    const edges = graph.edges.map((edge) => `${edge.from} -> ${edge.to}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        `topic:visits -> ${query.id}`,
        `${query.id} -> topic:HOME_VISITS`,
        'topic:HOME_VISITS -> connector:visits-file',
        'topic:HOME_VISITS -> connector:visits-table',
        'connector:visits-table -> table:pipeline_HOME_VISITS',
        'topic:visits -> connector:broken-file',
      ]),
    );
    const broken = graph.nodes.find((node) => node.id === 'connector:broken-file')!;
    expect(broken.detail).toMatch(/FAILED/);
    expect(graph.nodes.find((node) => node.id === 'connector:visits-file')!.status).not.toBe('failed');

    // Records written between two calls give the topic, and the edges out of it, a rate.
    for (let id = 0; id < 5; id++) await statement(`INSERT INTO visits (id, page) VALUES (${id}, 'home');`);
    const later = await until('a rate on visits', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const current = await pipeline();
      const rate = current.nodes.find((node) => node.id === 'topic:visits')?.rate ?? 0;
      return rate > 0 ? current : undefined;
    });
    const edge = later.edges.find((e) => e.from === 'topic:visits' && e.to === query.id)!;
    expect(edge.rate).toBeGreaterThan(0);
    expect(later.nodes.find((node) => node.id === query.id)!.rate).toBeGreaterThan(0);
    // The query's consumer group is found by its id, and its lag shown.
    await until('the query group lag', async () => {
      const current = await pipeline();
      return current.nodes.find((node) => node.id === query.id)?.lag ?? undefined;
    });
  });

  it('marks a sink stalled when its lag grows while its topic has input', async () => {
    await statement(
      "CREATE STREAM orders (id INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);",
    );
    await statement('INSERT INTO orders (id) VALUES (0);');
    const folder = mkdtempSync(path.join(tmpdir(), 'console-pipeline-'));
    await call(connect.url, 'POST', '/connectors', {
      name: 'orders-file',
      config: {
        'connector.class': 'FileStreamSink',
        topics: 'orders',
        file: path.join(folder, 'orders.txt'),
      },
    });
    await until('the sink to catch up', async () => {
      const node = (await pipeline()).nodes.find((n) => n.id === 'connector:orders-file');
      // Bigints arrive as decimal strings.
      return String(node?.lag) === '0' ? node : undefined;
    });
    await call(connect.url, 'PUT', '/connectors/orders-file/pause');
    await until('the pause', async () => {
      const status = await call<{ connector: { state: string } }>(
        connect.url,
        'GET',
        '/connectors/orders-file/status',
      );
      return status.connector.state === 'PAUSED' ? status : undefined;
    });
    const stalled = await until('the sink to be marked stalled', async () => {
      await statement(`INSERT INTO orders (id) VALUES (${Date.now() % 1000});`);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const node = (await pipeline()).nodes.find((n) => n.id === 'connector:orders-file');
      return node?.status === 'stalled' ? node : undefined;
    });
    expect(stalled.detail).toMatch(/lag grew .* paused/);
  });

  it('says which components contribute no nodes', async () => {
    const graph = await pipeline(alone.url);
    expect(graph.components).toEqual([
      { name: 'connect', state: 'not configured', detail: null },
      { name: 'sql', state: 'not configured', detail: null },
    ]);
    expect(graph.nodes.every((node) => node.kind === 'topic')).toBe(true);
  });
});
