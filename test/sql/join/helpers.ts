// Test helpers for the join operators: an in-memory KeyValueStore, an OperatorContext over it, and
// a driver that runs a ksqlDB qtt case's inputs through a join in their order (as the qtt driver pipes
// them) and gives its outputs in the cases' JSON shape.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MergeOperatorFactory } from '../../../src/sql/planner/plan.js';
import type { KeyValueStore, OperatorContext } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { joinSideOperator, type JoinSideSpec } from '../../../src/sql/runtime/join/index.js';
import type { SqlValue } from '../../../src/sql/types/index.js';

export class MemoryStore<V> implements KeyValueStore<V> {
  private readonly map = new Map<string, V>();
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  put(key: string, value: V): void {
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  *entries(fromKey?: string, toKey?: string): IterableIterator<[string, V]> {
    const keys = [...this.map.keys()].sort();
    for (const key of keys) {
      if (fromKey !== undefined && key < fromKey) continue;
      if (toKey !== undefined && key > toKey) break;
      yield [key, this.map.get(key) as V];
    }
  }
  get size(): number {
    return this.map.size;
  }
}

export function memoryContext(): OperatorContext & { readonly stores: Map<string, MemoryStore<unknown>> } {
  const stores = new Map<string, MemoryStore<unknown>>();
  return {
    queryId: 'TEST_QUERY',
    stores,
    store<V>(name: string): KeyValueStore<V> {
      let store = stores.get(name);
      if (store === undefined) {
        store = new MemoryStore<unknown>();
        stores.set(name, store);
      }
      return store as KeyValueStore<V>;
    },
    processingError(error) {
      throw new Error(error.message);
    },
  };
}

// ---------------------------------------------------------------- qtt cases

const QTT_DIR = fileURLToPath(new URL('../../../../shared/ksql-conformance/qtt/', import.meta.url));
export const qttAvailable = existsSync(QTT_DIR);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface QttRecord {
  readonly topic: string;
  readonly key: Json;
  readonly value: Json;
  readonly timestamp: number;
}

export interface QttCase {
  readonly name: string;
  readonly statements: readonly string[];
  readonly inputs: readonly QttRecord[];
  readonly outputs: readonly QttRecord[];
}

export function qttCase(file: string, name: string): QttCase {
  const parsed = JSON.parse(readFileSync(`${QTT_DIR}${file}`, 'utf8')) as { tests: QttCase[] };
  const found = parsed.tests.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no case '${name}' in ${file}`);
  return found;
}

export interface CaseSide {
  /** The side's columns in schema order: key columns first, as SqlRecord holds them (key, value). */
  readonly keyColumns: readonly string[];
  readonly valueColumns: readonly string[];
  readonly side: JoinSideSpec;
}

export interface JoinedOutput {
  readonly key: Json;
  readonly value: Record<string, Json> | null;
  readonly timestamp: number;
}

/**
 * Runs the case's inputs through side operators and the join; the joined rows become objects over
 * `joinedColumns` restricted to the columns the case's expected outputs name, so the two compare.
 */
export function runCase(
  testCase: QttCase,
  sides: Readonly<Record<string, CaseSide & { readonly port: number }>>,
  join: MergeOperatorFactory,
  joinedColumns: readonly string[],
): { readonly actual: JoinedOutput[]; readonly expected: JoinedOutput[] } {
  const projected = new Set<string>();
  for (const output of testCase.outputs) {
    if (output.value !== null && typeof output.value === 'object' && !Array.isArray(output.value)) {
      for (const column of Object.keys(output.value)) projected.add(column);
    }
  }
  const actual: JoinedOutput[] = [];
  const merge = join((record) => {
    const value =
      record.value === null
        ? null
        : Object.fromEntries(
            joinedColumns
              .map((column, i) => [column, toJson(record.value?.[i] ?? null)] as const)
              .filter(([column]) => projected.has(column)),
          );
    actual.push({ key: toJson(record.key[0] ?? null), value, timestamp: record.timestamp });
  }, memoryContext());
  const context = memoryContext();
  const entries = Object.entries(sides).map(([topic, side]) => {
    const port = merge.ports[side.port];
    if (port === undefined) throw new Error(`no port ${side.port}`);
    return [
      topic,
      { ...side, operator: joinSideOperator(side.side)((r) => port.process(r), context) },
    ] as const;
  });
  const byTopic = new Map(entries);
  let offset = 0;
  for (const input of testCase.inputs) {
    const side = byTopic.get(input.topic);
    if (side === undefined) throw new Error(`input topic ${input.topic} has no side`);
    const record: SqlRecord = {
      key: side.keyColumns.length === 0 ? [] : [input.key as SqlValue],
      value: rowOf(input.value, side.valueColumns),
      timestamp: input.timestamp,
      partition: 0,
      offset: offset++,
    };
    side.operator.process(record);
  }
  const expected = testCase.outputs.map((o) => ({
    key: o.key,
    value: o.value as Record<string, Json> | null,
    timestamp: o.timestamp,
  }));
  return { actual, expected };
}

function rowOf(value: Json, columns: readonly string[]): SqlValue[] | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return [value as SqlValue];
  return columns.map((column) => (value[column] ?? null) as SqlValue);
}

function toJson(value: SqlValue): Json {
  if (typeof value === 'bigint') return Number(value);
  return value as Json;
}
