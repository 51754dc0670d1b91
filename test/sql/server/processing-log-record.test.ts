// The processing log's records, one per kind of failure, against ksqlDB's ProcessingLogRecord: every
// field present, the unused kinds null, the failed row only with rows.include.
import { describe, expect, it } from 'vitest';
import { processingLogEntry } from '../../../src/sql/runtime/processing-log.js';
import { SqlDecimal } from '../../../src/sql/types/index.js';

const NOTHING_ELSE = {
  deserializationError: null,
  recordProcessingError: null,
  productionError: null,
  serializationError: null,
  kafkaStreamsThreadError: null,
};

const record = {
  key: ['k'],
  value: [9007199254740993n, new SqlDecimal(110n, 2), 'x'],
  timestamp: 1,
  partition: 0,
  offset: 4,
};

describe('processing log records', () => {
  it('a key that cannot be read: type 0, target key, base64 bytes only with rows.include', () => {
    const error = {
      message: 'Failed to deserialize a record of t partition 0 offset 4: ...',
      cause: new Error(
        'Failed to deserialize key from topic: t. Size of data received by IntegerDeserializer is not 4',
        {
          cause: new Error('not 4 bytes'),
        },
      ),
      type: 'DESERIALIZATION_ERROR' as const,
      topic: 't',
      bytes: { key: Buffer.from('abc'), value: Buffer.from('{}') },
    };
    const entry = processingLogEntry('CSAS_OUT_1', error, true, 42);
    expect(entry).toEqual({
      level: 'ERROR',
      logger: 'processing.CSAS_OUT_1.KsqlTopic.Source.deserializer',
      time: 42,
      message: {
        ...NOTHING_ELSE,
        type: 0,
        deserializationError: {
          target: 'key',
          errorMessage:
            'Failed to deserialize key from topic: t. Size of data received by IntegerDeserializer is not 4',
          recordB64: 'YWJj',
          cause: ['not 4 bytes'],
          topic: 't',
        },
      },
    });
    expect(processingLogEntry('CSAS_OUT_1', error, false).message.deserializationError?.recordB64).toBeNull();
  });

  it('an expression that fails: type 1, the cause chain, the value columns as JSON with rows.include', () => {
    const entry = processingLogEntry(
      'CSAS_OUT_2',
      { message: 'Error computing expression 1 / V', record, cause: new Error('/ by zero') },
      true,
    );
    expect(entry.message).toEqual({
      ...NOTHING_ELSE,
      type: 1,
      recordProcessingError: {
        errorMessage: 'Error computing expression 1 / V',
        record: '["9007199254740993","1.10","x"]',
        cause: ['/ by zero'],
      },
    });
    expect(entry.logger).toBe('processing.CSAS_OUT_2.Project');
  });

  it('a row that cannot be written: type 3, the sink topic, no row without rows.include', () => {
    const entry = processingLogEntry(
      'CTAS_T_3',
      {
        message: 'Failed to serialize a record for T: ...',
        record,
        cause: new Error('Error serializing message to topic: t_out. too big'),
        type: 'SERIALIZATION_ERROR',
        topic: 't_out',
      },
      false,
    );
    expect(entry.message).toEqual({
      ...NOTHING_ELSE,
      type: 3,
      serializationError: {
        target: 'value',
        errorMessage: 'Error serializing message to topic: t_out. too big',
        record: null,
        cause: [],
        topic: 't_out',
      },
    });
  });
});
