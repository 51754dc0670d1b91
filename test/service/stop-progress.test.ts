import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, stopProgressReporter } from '../../src/service/index.js';
import { LogManager } from '../../src/broker/log/log-manager.js';
import { temporaryDataDir } from '../helpers/broker.js';

function capturedLogger(): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ name: 'test', level: 'info', destination });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

describe('stop progress', () => {
  it('logs a changing stopProgress value at most once per interval, and always the last step', () => {
    const { logger, lines } = capturedLogger();
    let now = 0;
    const report = stopProgressReporter(logger, 'closing partitions', 1000, () => now);
    for (let done = 1; done <= 10; done++) {
      now += 300;
      report(done, 10);
    }
    const values = lines().map((line) => line.stopProgress);
    expect(values).toEqual([
      { phase: 'closing partitions', done: 1, total: 10 },
      { phase: 'closing partitions', done: 5, total: 10 },
      { phase: 'closing partitions', done: 9, total: 10 },
      { phase: 'closing partitions', done: 10, total: 10 },
    ]);
  });

  it('is reported by the broker log as its partitions close', async () => {
    const logs = await LogManager.open(temporaryDataDir('stop-progress'), {});
    logs.createTopic('a', 3, {});
    logs.createTopic('b', 2, {});
    const seen: [number, number][] = [];
    await logs.close((closed, total) => seen.push([closed, total]));
    expect(seen.at(-1)).toEqual([5, 5]);
    expect(seen.map(([closed]) => closed)).toEqual([...seen.map(([closed]) => closed)].sort((x, y) => x - y));
  });
});
