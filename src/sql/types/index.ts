export * from './types.js';
export * from './widening.js';
export * from './decimal.js';
export type { SqlValue, SqlStruct } from './values.js';
export * from './coerce.js';
export * from './java-double.js';
