// Pretty-printing the components' pino logs: parsing, merging by time, --since and following.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  followLogs,
  formatEntry,
  logComponents,
  mergeByTime,
  parseLogLine,
  readLogFile,
  type LogEntry,
} from '../../src/supervisor/logs.js';
import { readLogTail } from '../../src/supervisor/log-tail.js';

const line = (time: number, level: number, msg: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level, time, pid: 1, hostname: 'h', name: 'broker', msg, ...extra });

describe('log lines', () => {
  it('shows time, level, component and message with the extra fields', () => {
    const entry = parseLogLine(line(1_700_000_000_123, 40, 'slow disk', { partition: 3 }), 'broker', null);
    expect(entry).toMatchObject({ time: 1_700_000_000_123, level: 'WARN', component: 'broker' });
    expect(entry.message).toBe('slow disk partition=3');
    expect(formatEntry(entry, 10)).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123 {2}WARN {3}broker {6}slow disk partition=3$/,
    );
  });

  it('appends an error stack and keeps other output as it is, at the previous time', () => {
    const withError = parseLogLine(
      line(5, 50, 'failed', { err: { message: 'boom', stack: 'Error: boom\n  at x' } }),
      'b',
      null,
    );
    expect(withError.message).toBe('failed\nError: boom\n  at x');
    expect(parseLogLine('TypeError: oops', 'broker', 42)).toEqual({
      time: 42,
      component: 'broker',
      level: '',
      message: 'TypeError: oops',
    });
  });

  it('merges files by time and filters by --since', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-logs-'));
    fs.writeFileSync(
      path.join(dir, 'broker.log'),
      [line(10, 30, 'b1'), 'raw after b1', line(30, 30, 'b3')].join('\n') + '\n',
    );
    fs.writeFileSync(path.join(dir, 'supervisor.log'), line(20, 30, 's2') + '\n');
    expect(logComponents(dir)).toEqual(['broker', 'supervisor']);
    const merged = mergeByTime([
      readLogFile(path.join(dir, 'broker.log'), 'broker', null),
      readLogFile(path.join(dir, 'supervisor.log'), 'supervisor', null),
    ]);
    expect(merged.map((entry) => entry.message)).toEqual(['b1', 'raw after b1', 's2', 'b3']);
    expect(readLogFile(path.join(dir, 'broker.log'), 'broker', 20).map((entry) => entry.message)).toEqual([
      'b3',
    ]);
    expect(readLogTail(path.join(dir, 'broker.log'), 0, 2)).toEqual(['raw after b1', line(30, 30, 'b3')]);
  });

  it('follows appended lines, whole lines only, and files created later', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-follow-'));
    fs.writeFileSync(path.join(dir, 'broker.log'), line(1, 30, 'old') + '\n');
    const seen: LogEntry[] = [];
    const follower = followLogs(dir, null, (entry) => seen.push(entry), 20);
    try {
      fs.appendFileSync(path.join(dir, 'broker.log'), line(2, 30, 'new') + '\n' + '{"level":30,"ti');
      fs.writeFileSync(path.join(dir, 'registry.log'), line(3, 30, 'other') + '\n');
      await waitUntil(() => seen.length >= 2);
      fs.appendFileSync(path.join(dir, 'broker.log'), 'me":4,"msg":"joined"}\n');
      await waitUntil(() => seen.length >= 3);
    } finally {
      follower.stop();
    }
    expect(seen.map((entry) => `${entry.component}:${entry.message}`).sort()).toEqual([
      'broker:joined',
      'broker:new',
      'registry:other',
    ]);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
