// Magic-2 record batches: raw batch handling for the produce path, record codec, compression, CRC-32C.

export * from './batch-header.js';
export * from './batch.js';
export * from './compression.js';
export * from './control-record.js';
export * from './crc32c.js';
export * from './errors.js';
export * from './record-codec.js';
