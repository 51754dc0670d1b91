// connect-offsets as Kafka Connect lays it out (compacted): key the JSON array
// ["<connector>", {source partition}], value the source offset's JSON (null: a tombstone). Keys are
// compared by their content (object keys sorted), since another writer may order them differently.
import type { JsonObject, JsonValue } from '../api/data.js';
import { stableStringify, type JsonValue as SerdesJson } from '../../serdes/json-text.js';
import { jsonBuffer, parseJsonBuffer, type StorageTopic } from './storage-topic.js';

export interface SourceOffsetEntry {
  readonly partition: JsonObject;
  readonly offset: JsonObject | null;
}

const canonical = (value: JsonValue) => stableStringify(value as SerdesJson);

export class OffsetStore {
  constructor(readonly topic: StorageTopic) {}

  /** Every stored offset of a connector, after reading what other workers wrote. */
  async offsets(connector: string): Promise<SourceOffsetEntry[]> {
    await this.topic.sync();
    const found = new Map<string, SourceOffsetEntry>();
    for (const [key, value] of this.topic.entries()) {
      const parsed = parseJsonBuffer(Buffer.from(key)) as unknown;
      if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== connector) continue;
      const partition = parsed[1] as JsonObject;
      const offset = parseJsonBuffer(value) as JsonObject | undefined;
      found.set(canonical(partition), { partition, offset: offset ?? null });
    }
    return [...found.values()].filter((entry) => entry.offset !== null);
  }

  async offset(connector: string, partition: JsonObject): Promise<JsonObject | null> {
    const wanted = canonical(partition);
    const entry = (await this.offsets(connector)).find(
      (candidate) => canonical(candidate.partition) === wanted,
    );
    return entry?.offset ?? null;
  }

  /** Writes offsets (null: removes one). */
  async write(connector: string, entries: readonly SourceOffsetEntry[]): Promise<void> {
    await this.topic.write(
      entries.map(({ partition, offset }) => ({
        key: JSON.stringify([connector, partition]),
        value: offset === null ? null : jsonBuffer(offset),
      })),
    );
  }
}
