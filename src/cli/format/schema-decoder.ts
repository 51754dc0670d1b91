// Decodes keys and values written in the Confluent wire format (magic byte 0, schema id, payload) into
// JSON text, looking each schema up in the registry through the serdes library. Anything that is not
// in that format, or cannot be decoded, is printed as it is: one bad record never stops a consumer.
import { cliFetch, type HttpClientFlags } from '../http-client.js';
import { registryFailure } from '../registry-client.js';
import type { ConsumedRecord } from '../../client/index.js';

export type RecordDecoder = (record: ConsumedRecord) => Promise<ConsumedRecord>;

const WIRE_HEADER_BYTES = 5;

function looksRegistryEncoded(bytes: Buffer | null): bytes is Buffer {
  return bytes !== null && bytes.length >= WIRE_HEADER_BYTES && bytes[0] === 0;
}

function asJson(value: unknown): Buffer {
  return Buffer.from(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)),
  );
}

export async function registryDecoder(
  registryUrl: string,
  warn: (message: string) => void,
  flags: HttpClientFlags = {},
): Promise<RecordDecoder> {
  // Loaded only for --decode: the schema libraries are the heaviest part of the CLI.
  const { Serdes, SchemaRegistryClient, SchemaRegistryError } = await import('../../serdes/index.js');
  const serdes = new Serdes(new SchemaRegistryClient({ url: registryUrl, fetch: cliFetch(flags) }));
  // A refusal or an untrusted certificate says which setting to set, as the schema commands do.
  const reasonOf = (error: unknown): string => {
    if (!(error instanceof SchemaRegistryError)) return (error as Error).message;
    const failure = registryFailure(error, registryUrl, flags);
    return failure.hint ? `${failure.message} (${failure.hint})` : failure.message;
  };
  const warned = new Set<string>();
  const decodeBytes = async (bytes: Buffer | null, where: string): Promise<Buffer | null> => {
    if (!looksRegistryEncoded(bytes)) return bytes;
    try {
      return asJson((await serdes.decode(bytes)).value);
    } catch (error) {
      const reason = reasonOf(error);
      if (!warned.has(reason)) {
        warned.add(reason);
        warn(`venice: printing ${where} undecoded: ${reason}`);
      }
      return bytes;
    }
  };
  return async (record) => ({
    ...record,
    key: await decodeBytes(record.key, `key at ${record.partition}:${record.offset}`),
    value: await decodeBytes(record.value, `value at ${record.partition}:${record.offset}`),
  });
}
