// KSQL_PROCESSING_LOG: with ksql.logging.processing.stream.auto.create true, the server creates a stream
// over the processing-log topic when it starts (once: a stream of that name already there is left as it
// is), as ksqlDB's server does, so that `SELECT * FROM KSQL_PROCESSING_LOG EMIT CHANGES;` shows why
// records were dropped. The columns are ksqlDB's ProcessingLogRecord (runtime/processing-log.ts).
//
// ksqlDB creates the topic only when ksql.logging.processing.topic.auto.create is true and otherwise
// expects it to exist; Venice creates it for the stream either way (with topic.partitions partitions,
// default 1) when it is missing, since a stream over a topic that never appears would be of no use.
import type { SqlEngine } from '../engine/api.js';
import type { Logger } from '../../service/index.js';
import { PROCESSING_LOG_PROPERTIES, processingLogTopic } from '../runtime/processing-log.js';

const CAUSE = 'ARRAY<VARCHAR>';

/** ksqlDB's column list for the processing-log stream (its ProcessingLogServerUtils' statement). */
export const PROCESSING_LOG_COLUMNS =
  'logger VARCHAR, level VARCHAR, time BIGINT, message STRUCT<type INT, ' +
  `deserializationError STRUCT<target VARCHAR, errorMessage VARCHAR, recordB64 VARCHAR, cause ${CAUSE}, \`topic\` VARCHAR>, ` +
  `recordProcessingError STRUCT<errorMessage VARCHAR, record VARCHAR, cause ${CAUSE}>, ` +
  'productionError STRUCT<errorMessage VARCHAR>, ' +
  `serializationError STRUCT<target VARCHAR, errorMessage VARCHAR, record VARCHAR, cause ${CAUSE}, \`topic\` VARCHAR>, ` +
  `kafkaStreamsThreadError STRUCT<errorMessage VARCHAR, threadName VARCHAR, cause ${CAUSE}>>`;

export function processingLogStreamStatement(name: string, topic: string, partitions?: number): string {
  const partitionsProperty = partitions === undefined ? '' : `, PARTITIONS=${partitions}`;
  return (
    `CREATE STREAM ${name} (${PROCESSING_LOG_COLUMNS}) ` +
    `WITH(KAFKA_TOPIC='${topic.replace(/'/g, "''")}', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA'${partitionsProperty});`
  );
}

/**
 * Creates the processing-log stream when the properties ask for it and it is not there yet. A failure is
 * logged, not thrown: the server is of use without the stream, as ksqlDB's is.
 */
export async function maybeCreateProcessingLogStream(
  engine: SqlEngine,
  properties: Readonly<Record<string, string>>,
  logger: Logger,
): Promise<void> {
  if (properties[PROCESSING_LOG_PROPERTIES.streamAutoCreate]?.toLowerCase() !== 'true') return;
  const name = properties[PROCESSING_LOG_PROPERTIES.streamName] || 'KSQL_PROCESSING_LOG';
  const topic = processingLogTopic(engine.serviceId, properties);
  try {
    const [listing] = await engine.execute({ sql: 'SHOW STREAMS;' });
    if (listing?.['@type'] === 'streams' && listing.streams.some((stream) => stream.name === name)) return;
    try {
      await engine.execute({ sql: processingLogStreamStatement(name, topic) });
    } catch {
      // Most likely the topic does not exist yet: create it with the stream.
      const partitions = Number(properties[PROCESSING_LOG_PROPERTIES.topicPartitions] ?? 1) || 1;
      await engine.execute({ sql: processingLogStreamStatement(name, topic, partitions) });
    }
    logger.info({ stream: name, topic }, 'created the processing log stream');
  } catch (error) {
    logger.error(
      { err: error, stream: name, topic },
      `could not create the processing log stream ${name}: create it by hand, or set ` +
        `${PROCESSING_LOG_PROPERTIES.streamAutoCreate}=false`,
    );
  }
}
