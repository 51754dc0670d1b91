// Records/s on one core of three persistent queries' operator chains, in-process and without a broker,
// JSON in and out (deserialize key and value → operators → serialize), as a persistent query runs them
// per record; median of 3 trials after a warm-up, each trial from empty state. The count is input
// records of the timed source per second, deserialization and serialization included:
//   filter/project  WHERE → SELECT (a function call, arithmetic, a CASE)             target ≥ 250,000/s
//   window count    COUNT(*) per key in 1-minute tumbling windows (10,000 keys)        target ≥ 100,000/s
//   stream-table    orders joined to a 10,000-row customers table on its key          target ≥  80,000/s
// Run: npm run bench:sql [-- <part of a workload's label>, e.g. window]
import os from 'node:os';
import type { ConsumedRecord } from '../src/client/index.js';
import { createBuiltinRegistry } from '../src/sql/functions/index.js';
import type { DataSource } from '../src/sql/planner/data-source.js';
import { SqlTypes } from '../src/sql/types/index.js';
import { measure, TRIALS, type Workload } from './sql-harness.js';

const ORDERS = 200_000;
const CUSTOMERS = 10_000;
const BASE_TIME = 1_700_000_000_000;

function jsonSource(
  name: string,
  kind: DataSource['kind'],
  key: DataSource['schema']['key'],
  value: DataSource['schema']['value'],
): DataSource {
  return {
    name,
    kind,
    topic: name.toLowerCase(),
    schema: { key, value },
    keyFormat: 'JSON',
    valueFormat: 'JSON',
    keyOptions: {},
    valueOptions: {},
    isSource: false,
    sqlText: '',
  };
}

const orders = jsonSource(
  'ORDERS',
  'STREAM',
  [{ name: 'ID', type: SqlTypes.STRING, namespace: 'KEY' }],
  [
    { name: 'CUSTOMER', type: SqlTypes.STRING, namespace: 'VALUE' },
    { name: 'ITEM', type: SqlTypes.STRING, namespace: 'VALUE' },
    { name: 'QTY', type: SqlTypes.INTEGER, namespace: 'VALUE' },
    { name: 'PRICE', type: SqlTypes.DOUBLE, namespace: 'VALUE' },
    { name: 'COUNTRY', type: SqlTypes.STRING, namespace: 'VALUE' },
    { name: 'CREATED', type: SqlTypes.BIGINT, namespace: 'VALUE' },
  ],
);

const customers = jsonSource(
  'CUSTOMERS',
  'TABLE',
  [{ name: 'ID', type: SqlTypes.STRING, namespace: 'KEY' }],
  [
    { name: 'NAME', type: SqlTypes.STRING, namespace: 'VALUE' },
    { name: 'COUNTRY', type: SqlTypes.STRING, namespace: 'VALUE' },
    { name: 'TIER', type: SqlTypes.INTEGER, namespace: 'VALUE' },
  ],
);

const countries = ['NL', 'DE', 'FR', 'BE'];

// One order per ms, so 200,000 orders span 4 one-minute windows; customers cycle through all 10,000.
const orderRecords: ConsumedRecord[] = Array.from({ length: ORDERS }, (_, i) => ({
  topic: orders.topic,
  partition: 0,
  offset: BigInt(i),
  timestamp: BigInt(BASE_TIME + i),
  key: Buffer.from(JSON.stringify(`order-${i}`)),
  value: Buffer.from(
    JSON.stringify({
      CUSTOMER: `customer-${i % CUSTOMERS}`,
      ITEM: i % 50 === 0 ? 'void' : `item-${i % 97}`,
      QTY: i % 7,
      PRICE: (i % 100) / 4,
      COUNTRY: countries[i % 4],
      CREATED: BASE_TIME + i,
    }),
  ),
  headers: [],
}));

// The table side: timestamps before every order's, loaded before each trial's clock starts (not timed),
// so that every order finds its customer.
const customerRecords: ConsumedRecord[] = Array.from({ length: CUSTOMERS }, (_, i) => ({
  topic: customers.topic,
  partition: 0,
  offset: BigInt(i),
  timestamp: BigInt(BASE_TIME - CUSTOMERS + i),
  key: Buffer.from(JSON.stringify(`customer-${i}`)),
  value: Buffer.from(JSON.stringify({ NAME: `Customer ${i}`, COUNTRY: countries[i % 4], TIER: i % 3 })),
  headers: [],
}));

const workloads: Workload[] = [
  {
    label: 'filter/project',
    target: 250_000,
    sql: "CREATE STREAM BIG AS SELECT ID, UCASE(CUSTOMER) AS CUSTOMER, QTY * PRICE AS TOTAL, CASE WHEN COUNTRY = 'NL' THEN 'home' ELSE 'abroad' END AS ZONE FROM ORDERS WHERE QTY > 2 AND ITEM <> 'void';",
    sources: [orders],
    timed: { source: 'ORDERS', records: orderRecords },
  },
  {
    label: 'tumbling-window count',
    target: 100_000,
    sql: 'CREATE TABLE COUNTS AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY CUSTOMER EMIT CHANGES;',
    sources: [orders],
    timed: { source: 'ORDERS', records: orderRecords },
  },
  {
    label: 'stream-table join',
    target: 80_000,
    sql: 'CREATE STREAM ENRICHED AS SELECT O.CUSTOMER AS CUSTOMER, O.ID AS ORDER_ID, C.NAME AS NAME, C.TIER AS TIER, O.QTY * O.PRICE AS TOTAL FROM ORDERS O JOIN CUSTOMERS C ON O.CUSTOMER = C.ID EMIT CHANGES;',
    sources: [orders, customers],
    timed: { source: 'ORDERS', records: orderRecords },
    // The table side is loaded before each trial's clock starts: only the orders are timed.
    preload: { source: 'CUSTOMERS', records: customerRecords },
  },
];

const functions = createBuiltinRegistry();
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(
  `${ORDERS.toLocaleString('en')} input records per trial, median of ${TRIALS}; load average ${load}`,
);
// An argument picks the workloads whose label contains it (e.g. `window`), to time one change quickly.
const only = process.argv[2];
for (const workload of workloads.filter((w) => only === undefined || w.label.includes(only))) {
  const result = await measure(workload, functions);
  const met = result.recordsPerSecond >= workload.target ? 'met' : 'MISSED';
  console.log(
    `${workload.label.padEnd(22)} ${result.recordsPerSecond.toLocaleString('en').padStart(9)} records/s` +
      ` (target ≥ ${workload.target.toLocaleString('en')}/s: ${met}; trials ${result.trials.map((t) => t.toLocaleString('en')).join(', ')}; ${result.produced.toLocaleString('en')} out)`,
  );
}
