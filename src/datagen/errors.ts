/** A schema the generator cannot produce values for; the message says where and what to do. */
export class DatagenSchemaError extends Error {
  override readonly name = 'DatagenSchemaError';
}
