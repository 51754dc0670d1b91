// Kafka Streams settings users write without ksqlDB's prefix (SET 'auto.offset.reset'='earliest', or
// {"streamsProperties": {"auto.offset.reset": "earliest"}}): ksqlDB reads them as ksql.streams.<name>,
// and so does Venice, whose runtime looks only at the prefixed name.
const STREAMS_PROPERTIES = new Set([
  'auto.offset.reset',
  'cache.max.bytes.buffering',
  'commit.interval.ms',
  'num.stream.threads',
  'processing.guarantee',
]);

/** The prefixed name a short Kafka Streams property also goes by; undefined for any other name. */
export function streamsPropertyAlias(name: string): string | undefined {
  return STREAMS_PROPERTIES.has(name) ? `ksql.streams.${name}` : undefined;
}

/** The short name a prefixed Kafka Streams property also goes by (ksql.streams.auto.offset.reset → auto.offset.reset). */
export function streamsPropertyShortName(name: string): string | undefined {
  const short = name.startsWith('ksql.streams.') ? name.slice('ksql.streams.'.length) : undefined;
  return short !== undefined && STREAMS_PROPERTIES.has(short) ? short : undefined;
}
