// Schema ids fit the wire format's 4 bytes, including after a log that an older registry let an
// IMPORT fill with an out-of-range id.
import { describe, expect, it } from 'vitest';
import { MAX_SCHEMA_ID, isValidSchemaId, nextSchemaId } from '../../src/registry/ids.js';
import { RegistryState } from '../../src/registry/store/state.js';

function schemaVersion(subject: string, id: number) {
  return {
    kind: 'schema' as const,
    subject,
    version: 1,
    value: {
      subject,
      version: 1,
      id,
      schemaType: 'AVRO' as const,
      references: [],
      schema: '"bytes"',
      deleted: false,
    },
  };
}

describe('schema ids', () => {
  it('are integers from 1 to 2^31-1', () => {
    expect([1, MAX_SCHEMA_ID].every(isValidSchemaId)).toBe(true);
    expect([0, -1, 1.5, MAX_SCHEMA_ID + 1, 9007199254740992, Number.NaN].some(isValidSchemaId)).toBe(false);
  });

  it('a new one follows the highest, and once that is 2^31-1, takes the lowest free one', () => {
    expect(nextSchemaId(41, () => false)).toBe(42);
    const taken = new Set([1, 2, MAX_SCHEMA_ID]);
    expect(nextSchemaId(MAX_SCHEMA_ID, (id) => taken.has(id))).toBe(3);
  });

  it('an out-of-range id replayed from the log stays readable but does not raise the highest id', () => {
    const state = new RegistryState();
    state.apply(schemaVersion('ok', 7));
    state.apply(schemaVersion('imp', 9007199254740992));
    expect(state.maxId).toBe(7);
    expect(state.schemas.has(9007199254740992)).toBe(true);
  });
});
