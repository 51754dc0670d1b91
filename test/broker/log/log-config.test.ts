import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/broker/log/errors.js';
import {
  TOPIC_CONFIGS,
  applyConfigChanges,
  resolveLogConfig,
  validateTopicConfigs,
} from '../../../src/broker/log/log-config.js';

describe('topic configs', () => {
  it('has Venice defaults', () => {
    const config = resolveLogConfig({});
    expect(config).toMatchObject({
      retentionMs: -1,
      retentionBytes: -1,
      segmentBytes: 1073741824,
      segmentMs: 604800000,
      delete: true,
      compact: false,
      minCompactionLagMs: 0,
      deleteRetentionMs: 86400000,
      maxMessageBytes: 1048588,
      logAppendTime: false,
      minCleanableDirtyRatio: 0.5,
      indexIntervalBytes: 4096,
      minInsyncReplicas: 1,
    });
    expect(config.flushMessages).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(TOPIC_CONFIGS.find((c) => c.name === 'retention.ms')).toMatchObject({
      type: 'long',
      defaultValue: '-1',
      readOnly: false,
    });
  });

  it('applies broker defaults under topic overrides', () => {
    const config = resolveLogConfig(
      { 'retention.ms': '5' },
      { 'retention.ms': '10', 'segment.bytes': '1000' },
    );
    expect(config.retentionMs).toBe(5);
    expect(config.segmentBytes).toBe(1000);
    expect(resolveLogConfig({ 'cleanup.policy': 'compact,delete' })).toMatchObject({
      compact: true,
      delete: true,
    });
  });

  it('rejects unknown names and bad values with clear messages', () => {
    expect(() => validateTopicConfigs({ 'retention.minutes': '1' })).toThrow(
      /Unknown topic config name: retention.minutes/,
    );
    expect(() => validateTopicConfigs({ 'retention.ms': '-2' })).toThrow(ConfigError);
    expect(() => validateTopicConfigs({ 'segment.bytes': '99999999999' })).toThrow(/segment.bytes/);
    expect(() => validateTopicConfigs({ 'cleanup.policy': 'compress' })).toThrow(/compress is not one of/);
    expect(() => validateTopicConfigs({ 'message.timestamp.type': 'Now' })).toThrow(
      /CreateTime, LogAppendTime/,
    );
    expect(() => validateTopicConfigs({ 'min.cleanable.dirty.ratio': '1.5' })).toThrow(/between 0 and 1/);
    expect(() => validateTopicConfigs({ 'min.insync.replicas': '0' })).toThrow(ConfigError);
  });

  it('applies incremental list operations', () => {
    expect(
      applyConfigChanges({}, [{ name: 'cleanup.policy', value: 'compact', op: 'append' }], 'incremental'),
    ).toEqual({
      'cleanup.policy': 'delete,compact',
    });
    expect(
      applyConfigChanges(
        { 'cleanup.policy': 'delete,compact' },
        [{ name: 'cleanup.policy', value: 'delete', op: 'subtract' }],
        'incremental',
      ),
    ).toEqual({ 'cleanup.policy': 'compact' });
    expect(() =>
      applyConfigChanges({}, [{ name: 'cleanup.policy', value: 'delete', op: 'subtract' }], 'incremental'),
    ).toThrow(/at least one/);
  });
});
