// The logger factory: named JSON lines at the level asked for, nothing below it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/service/index.js';

function collect(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines named after the component', () => {
    const { stream, lines } = collect();
    const logger = createLogger({ name: 'sql', level: 'info', destination: stream });
    logger.info({ port: 8088 }, 'listening');
    expect(lines()).toEqual([
      expect.objectContaining({ name: 'sql', level: 30, msg: 'listening', port: 8088 }),
    ]);
  });

  it('drops what is below its level, whatever VENICE_LOG_LEVEL says', () => {
    const before = process.env.VENICE_LOG_LEVEL;
    process.env.VENICE_LOG_LEVEL = 'debug';
    try {
      const { stream, lines } = collect();
      const logger = createLogger({ name: 'broker', level: 'warn', destination: stream });
      logger.info('not shown');
      logger.debug('not shown either');
      logger.warn('shown');
      expect(lines().map((line) => line.msg)).toEqual(['shown']);
    } finally {
      if (before === undefined) delete process.env.VENICE_LOG_LEVEL;
      else process.env.VENICE_LOG_LEVEL = before;
    }
  });

  it('has a silent logger for embedded components', () => {
    expect(silentLogger().isLevelEnabled('fatal')).toBe(false);
  });
});
