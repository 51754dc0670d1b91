// The NONE format: no columns. Whatever bytes the record has are ignored, and nothing is written.
import type { RowSerde, SerdeTarget } from './format.js';
import { validateSerdeTarget } from './support.js';

export function noneSerde(target: SerdeTarget): RowSerde {
  validateSerdeTarget(target);
  return { serialize: () => null, deserialize: (bytes) => (bytes === null ? null : []) };
}
