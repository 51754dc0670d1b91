// Schema ids travel in 4 bytes of the Confluent wire format (magic byte, then a signed 32-bit id), so
// an id is an integer in [1, 2^31-1]. One larger would be written as another id by every serializer.

export const MAX_SCHEMA_ID = 2 ** 31 - 1;

export function isValidSchemaId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= MAX_SCHEMA_ID;
}

/**
 * The id for a new schema: one above the highest, or, once that would pass 2^31-1, the lowest id no
 * schema holds. Never an id in use.
 */
export function nextSchemaId(maxId: number, taken: (id: number) => boolean): number {
  if (maxId < MAX_SCHEMA_ID) return maxId + 1;
  for (let id = 1; id <= MAX_SCHEMA_ID; id++) if (!taken(id)) return id;
  throw new RangeError('every schema id from 1 to 2^31-1 is in use');
}
