// Records/s of a stateless query's operator chain on one core, in-process and without a broker:
// JSON deserialization of key and value → WHERE → SELECT (a function call, arithmetic, a CASE) → JSON
// serialization, as a persistent CSAS runs it per record. Median of 3 trials after a warm-up.
// Run: npm run bench:sql
import type { ConsumedRecord, ProduceRecord } from '../src/client/index.js';
import { createSerde } from '../src/sql/formats/index.js';
import { createBuiltinRegistry } from '../src/sql/functions/index.js';
import { parseStatements } from '../src/sql/parser/index.js';
import type { DataSource } from '../src/sql/planner/data-source.js';
import { planQuery } from '../src/sql/planner/index.js';
import { buildPipeline, QueryContext, SinkEncoder, SourceDecoder } from '../src/sql/runtime/index.js';
import { SqlTypes } from '../src/sql/types/index.js';

const RECORDS = 200_000;
const TRIALS = 3;

const source: DataSource = {
  name: 'ORDERS',
  kind: 'STREAM',
  topic: 'orders',
  schema: {
    key: [{ name: 'ID', type: SqlTypes.STRING, namespace: 'KEY' }],
    value: [
      { name: 'CUSTOMER', type: SqlTypes.STRING, namespace: 'VALUE' },
      { name: 'ITEM', type: SqlTypes.STRING, namespace: 'VALUE' },
      { name: 'QTY', type: SqlTypes.INTEGER, namespace: 'VALUE' },
      { name: 'PRICE', type: SqlTypes.DOUBLE, namespace: 'VALUE' },
      { name: 'COUNTRY', type: SqlTypes.STRING, namespace: 'VALUE' },
      { name: 'CREATED', type: SqlTypes.BIGINT, namespace: 'VALUE' },
    ],
  },
  keyFormat: 'JSON',
  valueFormat: 'JSON',
  keyOptions: {},
  valueOptions: {},
  isSource: false,
  sqlText: '',
};

const sql =
  "CREATE STREAM BIG AS SELECT ID, UCASE(CUSTOMER) AS CUSTOMER, QTY * PRICE AS TOTAL, CASE WHEN COUNTRY = 'NL' THEN 'home' ELSE 'abroad' END AS ZONE FROM ORDERS WHERE QTY > 2 AND ITEM <> 'void';";
const [statement] = parseStatements(sql);
if (statement?.kind !== 'CreateAsSelect') throw new Error('expected a CSAS');
const functions = createBuiltinRegistry();
const plan = planQuery(
  statement.query,
  { source: () => source },
  {
    type: 'PERSISTENT',
    functions,
    sink: { kind: 'CREATE', sourceType: 'STREAM', name: 'BIG' },
  },
);
const sink: DataSource = { ...source, name: 'BIG', topic: 'BIG', schema: plan.schema };

const countries = ['NL', 'DE', 'FR', 'BE'];
const records: ConsumedRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  topic: 'orders',
  partition: 0,
  offset: BigInt(i),
  timestamp: BigInt(1_700_000_000_000 + i),
  key: Buffer.from(JSON.stringify(`order-${i}`)),
  value: Buffer.from(
    JSON.stringify({
      CUSTOMER: `customer-${i % 1000}`,
      ITEM: i % 50 === 0 ? 'void' : `item-${i % 97}`,
      QTY: i % 7,
      PRICE: (i % 100) / 4,
      COUNTRY: countries[i % 4],
      CREATED: 1_700_000_000_000 + i,
    }),
  ),
  headers: [],
}));

const createSerdeFor = (target: Parameters<typeof createSerde>[0]) => createSerde(target);
const decoder = await SourceDecoder.create(source, createSerdeFor, functions);
const encoder = await SinkEncoder.create(sink, createSerdeFor);
let produced: ProduceRecord[] = [];
const context = new QueryContext('CSAS_BIG_0', (e) => {
  throw new Error(e.message);
});
const pipeline = buildPipeline(plan.root, (r) => produced.push(encoder.encode(r)), context);
const entry = pipeline.inputs[0]?.entry;
if (entry === undefined) throw new Error('no input');

function trial(): number {
  produced = [];
  const started = process.hrtime.bigint();
  for (const record of records) entry?.process(decoder.decodeLoaded(record));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

trial(); // warm-up
const times = Array.from({ length: TRIALS }, trial).sort((a, b) => a - b);
const seconds = times[Math.floor(TRIALS / 2)] as number;
console.log(
  `${RECORDS.toLocaleString('en')} records, ${produced.length.toLocaleString('en')} passed the filter`,
);
console.log(
  `deserialize → filter → project → serialize: ${Math.round(RECORDS / seconds).toLocaleString('en')} records/s (median of ${TRIALS})`,
);
console.log(`trials: ${times.map((t) => `${Math.round(RECORDS / t).toLocaleString('en')}/s`).join(', ')}`);
