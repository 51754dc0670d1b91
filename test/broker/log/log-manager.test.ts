import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { LogError } from '../../../src/broker/log/errors.js';
import { LogManager } from '../../../src/broker/log/log-manager.js';
import { batchOf, readAll, tempDir, valuesBatch } from './helpers.js';

const dirs: string[] = [];
const managers: LogManager[] = [];
async function openManager(dir: string, defaults: Record<string, string> = {}): Promise<LogManager> {
  const manager = await LogManager.open(dir, defaults, { startTimers: false });
  managers.push(manager);
  return manager;
}
function freshDir(): string {
  const dir = tempDir('venice-manager-');
  dirs.push(dir);
  return dir;
}
function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof LogError ? error.code : -999;
  }
  return undefined;
}

afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('LogManager', () => {
  it('creates topics with the Kafka layout and finds them by name and id', async () => {
    const dir = freshDir();
    const manager = await openManager(dir);
    const topic = manager.createTopic('orders', 3, { 'retention.ms': '1000' });
    expect(topic?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(topic?.partitionCount).toBe(3);
    expect(manager.topicById(topic!.id)).toBe(topic);
    expect(manager.partition('orders', 2)).toBeDefined();
    expect(manager.partition('orders', 3)).toBeUndefined();
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'topics', 'orders', 'topic.json'), 'utf8'));
    expect(file).toMatchObject({
      name: 'orders',
      id: topic!.id,
      partitions: 3,
      configs: { 'retention.ms': '1000' },
    });
    expect(fs.existsSync(path.join(dir, 'topics', 'orders', '0', '00000000000000000000.log'))).toBe(true);
  });

  it('refuses bad names, duplicates, bad partition counts and bad configs with typed errors', async () => {
    const manager = await openManager(freshDir());
    manager.createTopic('a.b', 1);
    expect(codeOf(() => manager.createTopic('a.b', 1))).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(codeOf(() => manager.createTopic('a_b', 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(codeOf(() => manager.createTopic('..', 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(codeOf(() => manager.createTopic('bad/name', 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(codeOf(() => manager.createTopic('x'.repeat(250), 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(codeOf(() => manager.createTopic('ok', 0))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(codeOf(() => manager.createTopic('ok', 1, { 'no.such.config': '1' }))).toBe(
      ErrorCode.INVALID_CONFIG,
    );
    expect(codeOf(() => manager.createTopic('ok', 1, { 'retention.ms': 'soon' }))).toBe(
      ErrorCode.INVALID_CONFIG,
    );
    expect(manager.createTopic('ok', 1, {}, { validateOnly: true })).toBeNull();
    expect(manager.topic('ok')).toBeUndefined();
  });

  it('keeps topics, configs and data across restarts', async () => {
    const dir = freshDir();
    const first = await openManager(dir, { 'segment.bytes': '2048' });
    const created = first.createTopic('events', 2, { 'cleanup.policy': 'compact' })!;
    for (let i = 0; i < 20; i++) first.partition('events', 1)!.append([valuesBatch(5)]);
    first.alterTopicConfig('events', [{ name: 'retention.bytes', value: '100000' }], 'incremental');
    first.createPartitions('events', 4);
    await first.close();
    managers.splice(managers.indexOf(first), 1);

    const second = await openManager(dir, { 'segment.bytes': '2048' });
    const topic = second.topic('events')!;
    expect(topic.id).toBe(created.id);
    expect(topic.partitionCount).toBe(4);
    expect(topic.configs).toEqual({ 'cleanup.policy': 'compact', 'retention.bytes': '100000' });
    expect(topic.config.compact).toBe(true);
    expect(topic.config.segmentBytes).toBe(2048);
    expect(second.partition('events', 1)!.logEndOffset).toBe(100);
    expect(readAll(second.partition('events', 1)!)).toHaveLength(100);
  });

  it('alters configs in replace and incremental modes', async () => {
    const manager = await openManager(freshDir());
    manager.createTopic('cfg', 1, { 'retention.ms': '5000', 'segment.bytes': '100000' });
    manager.alterTopicConfig(
      'cfg',
      [{ name: 'cleanup.policy', value: 'compact', op: 'append' }],
      'incremental',
    );
    expect(manager.topic('cfg')!.configs['cleanup.policy']).toBe('delete,compact');
    manager.alterTopicConfig('cfg', [{ name: 'retention.ms', value: null, op: 'delete' }], 'incremental');
    expect(manager.topic('cfg')!.configs['retention.ms']).toBeUndefined();
    manager.alterTopicConfig('cfg', [{ name: 'flush.messages', value: '10' }], 'replace');
    expect(manager.topic('cfg')!.configs).toEqual({ 'flush.messages': '10' });
    expect(manager.partition('cfg', 0)!.currentConfig.flushMessages).toBe(10);
    expect(
      codeOf(() =>
        manager.alterTopicConfig('cfg', [{ name: 'retention.ms', value: 'x', op: 'append' }], 'incremental'),
      ),
    ).toBe(ErrorCode.INVALID_CONFIG);
    expect(codeOf(() => manager.alterTopicConfig('missing', [], 'replace'))).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    const described = manager.describeTopicConfig('cfg');
    expect(described.find((c) => c.name === 'flush.messages')).toMatchObject({
      value: '10',
      isDefault: false,
      source: 1,
    });
    expect(described.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '-1',
      isDefault: true,
      source: 5,
    });
  });

  it('deletes topics and refuses to shrink partitions', async () => {
    const dir = freshDir();
    const manager = await openManager(dir);
    manager.createTopic('gone', 2);
    expect(codeOf(() => manager.createPartitions('gone', 1))).toBe(ErrorCode.INVALID_PARTITIONS);
    manager.deleteTopic('gone');
    expect(manager.topic('gone')).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'topics', 'gone'))).toBe(false);
    expect(codeOf(() => manager.deleteTopic('gone'))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const again = manager.createTopic('gone', 1)!;
    expect(again.partitions[0].logEndOffset).toBe(0);
  });

  it('runs retention and the cleaner over every topic', async () => {
    let now = 1_000_000;
    const manager = await LogManager.open(
      freshDir(),
      { 'segment.bytes': '600' },
      { startTimers: false, now: () => now },
    );
    managers.push(manager);
    manager.createTopic('expiring', 1, { 'retention.ms': '1000' });
    manager.createTopic('__state', 1, { 'cleanup.policy': 'compact' });
    for (let i = 0; i < 30; i++) {
      manager.partition('expiring', 0)!.append([batchOf([{ value: 'v', timestamp: now }])]);
      manager
        .partition('__state', 0)!
        .append([batchOf([{ key: `k${i % 3}`, value: `v${i}`, timestamp: now }])]);
    }
    now += 5_000;
    expect(manager.runRetention()).toBeGreaterThan(0);
    expect(manager.partition('expiring', 0)!.logStartOffset).toBe(30);
    const cleaned = manager.runCleaner(now, true);
    expect(cleaned).toHaveLength(1);
    expect(cleaned[0]).toMatchObject({ topic: '__state', partition: 0 });
    expect(cleaned[0].recordsRemoved).toBeGreaterThan(0);
    await manager.runFlushPolicy();
  });
});
