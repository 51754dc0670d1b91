// The well-behaved client of the fuzz run: Metadata, Produce and Fetch built by hand on a connection of
// its own, checking that what it wrote comes back.
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/fetch-request.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { ZERO_UUID } from '../../../src/protocol/primitives.js';
import { decodeRecordSet, encodeBatch } from '../../../src/protocol/records/record-codec.js';
import { WireClient, type Endpoint } from './wire-client.js';

const MAX_BYTES = 1024 * 1024;

/**
 * Writes `value` to partition 0 of `topic` and reads it back at the offset the broker gave it; on a
 * SASL listener it first logs in with `login` (SASL/PLAIN).
 */
export async function canaryRoundTrip(
  endpoint: Endpoint,
  topic: string,
  value: string,
  login?: { user: string; password: string },
): Promise<void> {
  const client = await WireClient.open(endpoint);
  try {
    if (login) await plainLogin(client, login.user, login.password);
    const metadata = await client.request(ApiKey.Metadata, 12, {
      topics: [{ topicId: ZERO_UUID, name: topic }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const described = metadata.topics.find((t) => t.name === topic);
    if (!described || described.errorCode !== ErrorCode.NONE || described.partitions.length === 0) {
      throw new Error(`metadata for ${topic}: ${JSON.stringify(described, bigintSafe)}`);
    }

    const produce = await client.request(ApiKey.Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 10_000,
      topicData: [
        { name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value }] }) }] },
      ],
    });
    const written = produce.responses[0]?.partitionResponses[0];
    if (!written || written.errorCode !== ErrorCode.NONE) {
      throw new Error(`produce to ${topic}: ${JSON.stringify(written, bigintSafe)}`);
    }

    const fetch = await client.request(ApiKey.Fetch, 12, {
      ...defaultFetchRequest(),
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: MAX_BYTES,
      topics: [
        {
          topic,
          topicId: ZERO_UUID,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: written.baseOffset,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: MAX_BYTES,
              replicaDirectoryId: ZERO_UUID,
            },
          ],
        },
      ],
    });
    const partition = fetch.responses[0]?.partitions[0];
    if (!partition || partition.errorCode !== ErrorCode.NONE || partition.records === null) {
      throw new Error(`fetch from ${topic}: ${JSON.stringify(partition, bigintSafe)}`);
    }
    const records = Buffer.isBuffer(partition.records)
      ? partition.records
      : Buffer.concat(partition.records as readonly Buffer[]);
    const first = decodeRecordSet(records)
      .flatMap((batch) => batch.records)
      .find((record) => record.offset === written.baseOffset);
    if (first?.value?.toString() !== value) {
      throw new Error(
        `fetched ${JSON.stringify(first?.value?.toString())} at ${written.baseOffset}, wrote ${value}`,
      );
    }
  } finally {
    client.close();
  }
}

async function plainLogin(client: WireClient, user: string, password: string): Promise<void> {
  const handshake = await client.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
  if (handshake.errorCode !== ErrorCode.NONE) throw new Error(`SaslHandshake: error ${handshake.errorCode}`);
  const authenticated = await client.request(ApiKey.SaslAuthenticate, 2, {
    authBytes: Buffer.from(`\u0000${user}\u0000${password}`, 'utf8'),
  });
  if (authenticated.errorCode !== ErrorCode.NONE) {
    throw new Error(`SaslAuthenticate: ${authenticated.errorMessage ?? authenticated.errorCode}`);
  }
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
