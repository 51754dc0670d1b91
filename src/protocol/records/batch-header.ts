// Byte layout of a magic-2 record batch header. Everything that looks inside a batch without
// decoding its records (the produce path, the log, the index builder) reads through these.

export const BatchOffset = {
  baseOffset: 0, // int64
  batchLength: 8, // int32: bytes after this field
  partitionLeaderEpoch: 12, // int32
  magic: 16, // int8
  crc: 17, // uint32, CRC-32C of everything from attributes to the end
  attributes: 21, // int16
  lastOffsetDelta: 23, // int32
  baseTimestamp: 27, // int64
  maxTimestamp: 35, // int64
  producerId: 43, // int64
  producerEpoch: 51, // int16
  baseSequence: 53, // int32
  recordCount: 57, // int32
} as const;

/** Bytes before the records: the whole fixed header. */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: the part not counted in batchLength. */
export const BATCH_LENGTH_PREFIX = 12;
/** Where the CRC-covered region starts. */
export const CRC_START = BatchOffset.attributes;

export const Attributes = {
  compressionMask: 0x07,
  timestampTypeLogAppend: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionCodec = (typeof Compression)[keyof typeof Compression];

export const NO_PRODUCER_ID = -1n;
export const NO_SEQUENCE = -1;
