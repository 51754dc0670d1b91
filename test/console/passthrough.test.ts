// The console's SQL page API and its pass-through to the connect worker, against a real SQL engine and
// a real connect worker (each in this process, on its own port).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningConsole } from '../../src/console/service.js';
import { startPipelineStack, type PipelineStack } from './helpers.js';

let stack: PipelineStack;
let running: RunningConsole;

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${running.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  stack = await startPipelineStack('console');
  running = stack.console;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('console API: SQL and connectors', { timeout: 120_000 }, () => {
  it('runs statements, and a push query until its time is up', async () => {
    const created = await api<{ kind: string }>('POST', '/api/sql', {
      sql: "CREATE STREAM clicks (id INT, page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);",
    });
    expect(created.status).toBe(200);
    expect(created.body.kind).toBe('statements');
    const streams = await api<{ results: { streams?: { name: string }[] }[] }>('POST', '/api/sql', {
      sql: 'SHOW STREAMS;',
    });
    expect(streams.body.results[0].streams?.map((stream) => stream.name)).toContain('CLICKS');
    for (const id of [1, 2])
      await api('POST', '/api/sql', { sql: `INSERT INTO clicks (id, page) VALUES (${id}, 'home');` });

    const query = await api<{ kind: string; columns: string[]; rows: unknown[][]; truncated: boolean }>(
      'POST',
      '/api/sql',
      {
        sql: 'SELECT id, page FROM clicks EMIT CHANGES;',
        properties: { 'auto.offset.reset': 'earliest' },
        limit: 2,
        timeoutMs: 20_000,
      },
    );
    expect(query.status).toBe(200);
    expect(query.body.columns).toEqual(['ID', 'PAGE']);
    expect(query.body.rows).toEqual([
      [1, 'home'],
      [2, 'home'],
    ]);
    expect(query.body.truncated).toBe(true);

    const bad = await api<{ error: string }>('POST', '/api/sql', {
      sql: 'SELECT * FROM nowhere EMIT CHANGES;',
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.body.error).toMatch(/nowhere/i);
  });

  it("streams a push query's rows as they arrive, and closes it when the page leaves", async () => {
    const controller = new AbortController();
    const response = await fetch(`${running.url}/api/sql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: "SELECT id FROM clicks WHERE page = 'live' EMIT CHANGES;" }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (text: string) => {
      while (!received.includes(text)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended before ${text}: ${received}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: header');
    expect(received).toContain('"columns":["ID"]');
    // Rows inserted after the query started arrive while the stream is open.
    for (const id of [7, 8])
      await api('POST', '/api/sql', { sql: `INSERT INTO clicks (id, page) VALUES (${id}, 'live');` });
    await readUntil('event: row\ndata: [8]');
    expect(received).toContain('event: row\ndata: [7]');
    controller.abort();
    // The engine closes the push query once the console's connection to it is gone: closing it again
    // through the engine's /close-query is refused as unknown.
    const queryId = /"queryId":"([^"]+)"/.exec(received)?.[1];
    expect(queryId).toBeTruthy();
    await expect
      .poll(
        async () =>
          (
            await fetch(`${stack.sql.url}/close-query`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ queryId }),
            })
          ).status,
        { timeout: 20_000, interval: 250 },
      )
      .toBe(400);

    const notQuery = await api<{ error: string }>('POST', '/api/sql/stream', { sql: 'SHOW STREAMS;' });
    expect(notQuery.status).toBe(400);
    const bad = await api<{ error: string }>('POST', '/api/sql/stream', {
      sql: 'SELECT * FROM nowhere EMIT CHANGES;',
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.body.error).toMatch(/nowhere/i);
  });

  it('passes connector requests through to the worker', async () => {
    const plugins = await api<{ class: string }[]>('GET', '/api/connect/connector-plugins');
    expect(plugins.status).toBe(200);
    expect(plugins.body.length).toBeGreaterThan(0);
    const connectors = await api<Record<string, unknown>>('GET', '/api/connect/connectors?expand=status');
    expect(connectors).toEqual({ status: 200, body: {} });
    const missing = await api<{ error_code: number }>('GET', '/api/connect/connectors/nope/status');
    expect(missing.status).toBe(404);
  });

  it('says which component is missing', async () => {
    const schemas = await api<{ error: string }>('GET', '/api/schemas/subjects');
    expect(schemas.status).toBe(503);
    expect(schemas.body.error).toContain('without a schema registry');
  });
});
