// Serialize / deserialize speed of the SQL formats on a typical row, records/s on one core: the per-record
// cost of every persistent query (the filter/project target is 250k records/s overall). Median of 9 trials
// after a warm-up. JSON.parse + JSON.stringify of the same text is shown as a yardstick.
// The registry formats run against a broker and registry started in-process (schemas are fetched once; the
// figures are of the per-record work).
// Run: npm run bench:sql-formats   (a tsx script)
import { SchemaRegistryClient } from '../src/serdes/index.js';
import { createSerde, type FormatName, type RowSerde } from '../src/sql/formats/index.js';
import { startBrokerAndRegistry } from '../test/registry/helpers.js';
import type { Column } from '../src/sql/planner/schema.js';
import { SqlDecimal, SqlTypes, type SqlValue } from '../src/sql/types/index.js';

const TRIALS = 9;
const RECORDS = 50_000;

const column = (name: string, type: Column['type']): Column => ({ name, type, namespace: 'VALUE' });
const columns: Column[] = [
  column('ID', SqlTypes.BIGINT),
  column('NAME', SqlTypes.STRING),
  column('AMOUNT', SqlTypes.DOUBLE),
  column('QTY', SqlTypes.INTEGER),
  column('PRICE', SqlTypes.decimal(10, 2)),
  column('TS', SqlTypes.TIMESTAMP),
  column('ACTIVE', SqlTypes.BOOLEAN),
];
const flat = columns.filter((c) => c.type.kind !== 'DECIMAL');

function rows(cols: readonly Column[]): SqlValue[][] {
  return Array.from({ length: 1000 }, (_, i) =>
    cols.map((c): SqlValue => {
      switch (c.type.kind) {
        case 'BIGINT':
          return BigInt(1_000_000 + i);
        case 'STRING':
          return `customer-${i % 97}`;
        case 'DOUBLE':
          return i * 1.25;
        case 'INTEGER':
          return i % 50;
        case 'DECIMAL':
          return new SqlDecimal(BigInt(i * 7 + 99), 2);
        case 'TIMESTAMP':
          return 1_700_000_000_000 + i;
        default:
          return i % 2 === 0;
      }
    }),
  );
}

function median(pass: () => void): number {
  const time = () => {
    const started = process.hrtime.bigint();
    pass();
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  for (let i = 0; i < 3; i++) time();
  const times = Array.from({ length: TRIALS }, time).sort((a, b) => a - b);
  return times[Math.floor(TRIALS / 2)];
}

const rate = (seconds: number) =>
  Math.round(RECORDS / seconds)
    .toLocaleString('en')
    .padStart(11);

async function measure(
  label: string,
  format: FormatName,
  cols: readonly Column[],
  registry?: SchemaRegistryClient,
): Promise<void> {
  const target = { topic: `bench-${format}`, isKey: false, columns: cols, format, options: {} };
  const serde: RowSerde = await createSerde(target, registry);
  const values = rows(cols);
  const encoded = values.map((row) => serde.serialize(row) as Buffer);
  const size = encoded.reduce((sum, b) => sum + b.length, 0) / encoded.length;
  const serialize = median(() => {
    for (let i = 0; i < RECORDS; i++) serde.serialize(values[i % 1000]);
  });
  const deserialize = median(() => {
    for (let i = 0; i < RECORDS; i++) serde.deserialize(encoded[i % 1000]);
  });
  console.log(
    `${label.padEnd(30)} ${rate(serialize)} ser/s ${rate(deserialize)} deser/s   ${size.toFixed(0)} bytes/record`,
  );
}

console.log(`records/s, median of ${TRIALS} trials of ${RECORDS.toLocaleString('en')} records`);
await measure('JSON, 7 columns', 'JSON', columns);
await measure('JSON, 6 columns (no DECIMAL)', 'JSON', flat);
await measure('DELIMITED, 7 columns', 'DELIMITED', columns);
await measure('KAFKA, BIGINT', 'KAFKA', [column('V', SqlTypes.BIGINT)]);
const stack = await startBrokerAndRegistry();
try {
  const registry = new SchemaRegistryClient({ url: stack.registry.url });
  await measure('AVRO, 7 columns', 'AVRO', columns, registry);
  await measure('PROTOBUF, 7 columns', 'PROTOBUF', columns, registry);
  await measure('JSON_SR, 7 columns', 'JSON_SR', columns, registry);
} finally {
  await stack.stop();
}

const sample = rows(flat).map((row) =>
  JSON.stringify(
    Object.fromEntries(flat.map((c, i) => [c.name, typeof row[i] === 'bigint' ? Number(row[i]) : row[i]])),
  ),
);
const buffers = sample.map((text) => Buffer.from(text));
const parse = median(() => {
  for (let i = 0; i < RECORDS; i++) JSON.parse(buffers[i % 1000].toString('utf8'));
});
const objects = sample.map((text) => JSON.parse(text) as unknown);
const stringify = median(() => {
  for (let i = 0; i < RECORDS; i++) Buffer.from(JSON.stringify(objects[i % 1000]));
});
console.log(
  `${'yardstick: JSON.parse/stringify'.padEnd(30)} ${rate(stringify)} ser/s ${rate(parse)} deser/s`,
);
