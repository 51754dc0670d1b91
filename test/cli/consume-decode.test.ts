// `venice consume --decode`: records written in the Confluent wire format are printed as JSON through
// the serdes library and the registry; other records as they are, and an undecodable one with a warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import type { RunningRegistry } from '../../src/registry/service.js';
import { Serdes, SchemaRegistryClient } from '../../src/serdes/index.js';
import { startTestBroker } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';
import { runVenice } from './run-venice.js';

let broker: TestBroker;
let registry: RunningRegistry;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker.bootstrap);
});

afterAll(async () => {
  await registry?.stop();
  await broker?.stop();
});

describe('venice consume --decode', { timeout: 120_000 }, () => {
  it('prints registry-encoded Avro and JSON Schema records as JSON and leaves the rest alone', async () => {
    const serdes = new Serdes(new SchemaRegistryClient({ url: registry.url }));
    const avro = await serdes.serialize(
      'payments',
      { id: 7, amount: 12.5 },
      {
        schemaType: 'AVRO',
        schema: JSON.stringify({
          type: 'record',
          name: 'Payment',
          fields: [
            { name: 'id', type: 'int' },
            { name: 'amount', type: 'double' },
          ],
        }),
      },
    );
    const json = await serdes.serialize(
      'payments',
      { id: 8, note: 'refund' },
      {
        schemaType: 'JSON',
        subject: 'payments-json-value',
        schema: JSON.stringify({
          type: 'object',
          properties: { id: { type: 'integer' }, note: { type: 'string' } },
        }),
      },
    );
    const unknownSchema = Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2, 3]);

    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'payments',
      messages: [{ value: avro }, { value: json }, { value: 'plain text' }, { value: unknownSchema }],
    });
    await producer.disconnect();

    const consumed = await runVenice([
      'consume',
      'payments',
      '-e',
      '--decode',
      '--format',
      '%o %v\\n',
      '--registry-url',
      registry.url,
      '--bootstrap-servers',
      broker.bootstrap,
    ]);
    expect(consumed.code, consumed.stderr).toBe(0);
    const lines = consumed.stdout.split('\n');
    expect(lines[0]).toBe('0 {"id":7,"amount":12.5}');
    expect(lines[1]).toBe('1 {"id":8,"note":"refund"}');
    expect(lines[2]).toBe('2 plain text');
    expect(lines[3].startsWith('3 ')).toBe(true);
    expect(consumed.stderr).toMatch(/printing value at 0:3 undecoded/);
  });
});
