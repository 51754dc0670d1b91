// The broker's files are 0600 and its folders 0700, like the supervisor's state files: topic data,
// indexes, checkpoints and the cluster identity are readable by their owner only.
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';

function modesUnder(root: string): { path: string; mode: string }[] {
  const found: { path: string; mode: string }[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    found.push({ path: path.relative(root, full), mode: (fs.statSync(full).mode & 0o777).toString(8) });
  }
  return found;
}

describe('broker file modes', () => {
  it('creates topic folders 0700 and segment, index and state files 0600', async () => {
    const dataDir = path.join(temporaryDataDir('modes'), 'broker');
    const broker = await startTestBroker({ dataDir });
    const kafka = new Kafka({ clientId: 'modes', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'private', messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
    // Stopping writes the indexes and checkpoints too.
    await broker.stop();

    expect((fs.statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    const entries = modesUnder(dataDir);
    expect(entries.some((entry) => entry.path.endsWith('.log'))).toBe(true);
    for (const entry of entries) {
      const isDir = fs.statSync(path.join(dataDir, entry.path)).isDirectory();
      expect({ path: entry.path, mode: entry.mode }).toEqual({
        path: entry.path,
        mode: isDir ? '700' : '600',
      });
    }
  });
});
