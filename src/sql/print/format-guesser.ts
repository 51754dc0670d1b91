// PRINT shows a topic without knowing its formats, as ksqlDB's does: every key (or value) is tried
// with each format in turn, a format that fails on any record seen is dropped for good, and a record
// is shown as the first format still possible reads it. The formats left are shown to the user, so
// after a few records "Value format: JSON or KAFKA_STRING" tells them what to declare in CREATE.
import type { Serdes } from '../../serdes/index.js';

/** A format's reading of some bytes, or undefined when the bytes are not in that format. */
type Reader = (bytes: Buffer) => Promise<string | undefined> | string | undefined;

interface Candidate {
  readonly name: string;
  readonly read: Reader;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function json(bytes: Buffer): string | undefined {
  const decoded = text(bytes);
  if (decoded === undefined) return undefined;
  try {
    JSON.parse(decoded);
    return decoded;
  } catch {
    return undefined;
  }
}

const fixedWidth =
  (width: number, read: (bytes: Buffer) => number | bigint): Reader =>
  (bytes) =>
    bytes.length === width ? String(read(bytes)) : undefined;

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

/** The registry formats: the bytes are in the Confluent wire format and their schema has this type. */
function registryReader(serdes: () => Promise<Serdes | null>, schemaType: string): Reader {
  return async (bytes) => {
    if (bytes.length < 5 || bytes[0] !== 0) return undefined;
    const decoder = await serdes();
    if (decoder === null) return undefined;
    try {
      const decoded = await decoder.decode(bytes);
      return decoded.schemaType === schemaType ? jsonText(decoded.value) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The candidates in ksqlDB's order: the first possible one is how a record is shown. */
function candidates(serdes: () => Promise<Serdes | null>): Candidate[] {
  return [
    { name: 'AVRO', read: registryReader(serdes, 'AVRO') },
    { name: 'PROTOBUF', read: registryReader(serdes, 'PROTOBUF') },
    { name: 'JSON', read: json },
    { name: 'JSON_SR', read: registryReader(serdes, 'JSON') },
    { name: 'KAFKA_INT', read: fixedWidth(4, (bytes) => bytes.readInt32BE(0)) },
    { name: 'KAFKA_BIGINT', read: fixedWidth(8, (bytes) => bytes.readBigInt64BE(0)) },
    { name: 'KAFKA_DOUBLE', read: fixedWidth(8, (bytes) => bytes.readDoubleBE(0)) },
    { name: 'KAFKA_STRING', read: text },
  ];
}

export class FormatGuesser {
  #possible: Candidate[];
  #seenData = false;

  constructor(serdes: () => Promise<Serdes | null>) {
    this.#possible = candidates(serdes);
  }

  /** The formats that read every record seen so far; before any data, a line that says so. */
  get possibleFormats(): string {
    if (!this.#seenData) return 'does not match any supported format yet: no data processed';
    if (this.#possible.length === 0)
      return 'does not match any supported format. It may be a STRING with an encoding other than UTF-8, or some other format.';
    return this.#possible.map((candidate) => candidate.name).join(' or ');
  }

  /** The record's bytes as the first format still possible reads them; hex when none can. */
  async format(bytes: Buffer | null): Promise<string> {
    if (bytes === null) return '<null>';
    this.#seenData = true;
    let shown: string | undefined;
    const still: Candidate[] = [];
    for (const candidate of this.#possible) {
      const reading = await candidate.read(bytes);
      if (reading === undefined) continue;
      still.push(candidate);
      shown ??= reading;
    }
    this.#possible = still;
    return shown ?? `0x${bytes.toString('hex')}`;
  }
}
