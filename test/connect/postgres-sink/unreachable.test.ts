// PostgreSQL unreachable: put() throws RetriableError (the worker retries the same records after
// retry.backoff.ms) until max.retries failures in a row, then an error that fails the task.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { RetriableError } from '../../../src/connect/api/errors.js';
import { POSTGRES_URL, record, startSink } from './helpers.js';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('PostgreSQL unreachable', () => {
  it('throws RetriableError with the backoff, then fails after max.retries', async () => {
    const port = await closedPort();
    const sink = await startSink(POSTGRES_URL, {
      'connection.url': `jdbc:postgresql://127.0.0.1:${port}/test?user=postgres`,
      'max.retries': '2',
      'retry.backoff.ms': '250',
      'auto.create': 'true',
    });
    const records = [record('sinktest_unreachable', null, { a: 1 })];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const error = await sink.task.put(records).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RetriableError);
      expect((error as RetriableError).retryAfterMs).toBe(250);
      expect((error as Error).message).toMatch(
        new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED|refused`, 's'),
      );
    }
    const final = await sink.task.put(records).catch((caught: unknown) => caught);
    expect(final).toBeInstanceOf(Error);
    expect(final).not.toBeInstanceOf(RetriableError);
    expect((final as Error).message).toMatch(/failed 3 times in a row \(max\.retries=2\)/);
    await sink.stop();
  });

  it('needs no database for a put with nothing to write (tombstones skipped)', async () => {
    const port = await closedPort();
    const sink = await startSink(POSTGRES_URL, {
      'connection.url': `postgres://postgres@127.0.0.1:${port}/test`,
    });
    await sink.task.put([record('sinktest_tombstones', 'k', null)]);
    await sink.stop();
  });

  it('uses the worker default when connection.url is left out, and says what to set when there is none', async () => {
    const port = await closedPort();
    const sink = await startSink(POSTGRES_URL, {
      'connection.url': '',
      'venice.default.connection.url': `postgres://postgres@127.0.0.1:${port}/test`,
    });
    await expect(sink.task.put([record('sinktest_default', null, { a: 1 })])).rejects.toThrow(String(port));
    await sink.stop();
    await expect(startSink(POSTGRES_URL, { 'connection.url': '' })).rejects.toThrow(/set connection\.url/);
  });
});
