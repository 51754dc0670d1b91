// The one error type the Kafka client throws. @platformatic/kafka reports failures as trees of
// aggregate errors; callers (the CLI, the console, services) only need to know what kind of failure
// it was and a message a person can read.

export type KafkaErrorKind =
  /** No broker answered: the cluster is down or the address is wrong. */
  | 'unreachable'
  /** The named topic, partition or group does not exist. */
  | 'not-found'
  /** The topic (or other resource) to create already exists. */
  | 'already-exists'
  /** The request was invalid (a bad config value, a partition count below 1, ...). */
  | 'invalid'
  /** The cluster refused the operation in the resource's current state (e.g. a group with members). */
  | 'refused'
  /** Anything else. */
  | 'failure';

export class KafkaClientError extends Error {
  override name = 'KafkaClientError';
  constructor(
    readonly kind: KafkaErrorKind,
    message: string,
    /** Kafka's error name when the broker answered with one (e.g. UNKNOWN_TOPIC_OR_PARTITION). */
    readonly kafkaError?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A protocol error found somewhere in @platformatic/kafka's error tree. */
interface ProtocolFailure {
  apiId: string;
  serverErrorMessage?: string | null;
  message: string;
}

const NOT_FOUND = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'UNKNOWN_TOPIC_ID',
  'GROUP_ID_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
]);
const REFUSED = new Set([
  'NON_EMPTY_GROUP',
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'GROUP_SUBSCRIBED_TO_TOPIC',
]);

/**
 * Turns whatever @platformatic/kafka threw into a KafkaClientError. `subject` names what the operation
 * was about ("topic orders"), so messages read "topic orders does not exist".
 */
export function translateError(
  error: unknown,
  bootstrapServers: readonly string[],
  subject?: string,
): KafkaClientError {
  if (error instanceof KafkaClientError) return error;
  const failures = collectErrors(error);
  const protocol = failures.map(asProtocolFailure).find((failure) => failure !== undefined);
  if (protocol) {
    const detail = protocol.serverErrorMessage || protocol.message;
    if (NOT_FOUND.has(protocol.apiId)) {
      const what = subject ? `${subject} does not exist` : detail;
      return new KafkaClientError('not-found', what, protocol.apiId, { cause: error });
    }
    if (protocol.apiId === 'TOPIC_ALREADY_EXISTS')
      return new KafkaClientError(
        'already-exists',
        subject ? `${subject} already exists` : detail,
        protocol.apiId,
        {
          cause: error,
        },
      );
    if (REFUSED.has(protocol.apiId))
      return new KafkaClientError('refused', detail, protocol.apiId, { cause: error });
    if (protocol.apiId.startsWith('INVALID_') || protocol.apiId === 'POLICY_VIOLATION')
      return new KafkaClientError('invalid', detail, protocol.apiId, { cause: error });
    return new KafkaClientError('failure', `${detail} (${protocol.apiId})`, protocol.apiId, { cause: error });
  }
  const unknownTopic = failures.find((failure) => /^Unknown topic/i.test(failure.message));
  if (unknownTopic)
    return new KafkaClientError(
      'not-found',
      subject ? `${subject} does not exist` : unknownTopic.message,
      undefined,
      {
        cause: error,
      },
    );
  if (failures.some(isNetworkFailure)) {
    return new KafkaClientError(
      'unreachable',
      `cannot reach Kafka at ${bootstrapServers.join(',')}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KafkaClientError('failure', message, undefined, { cause: error });
}

/** Flattens aggregate errors and causes into one list, outermost first. */
function collectErrors(error: unknown, found: Error[] = [], depth = 0): Error[] {
  if (!(error instanceof Error) || depth > 8) return found;
  found.push(error);
  if (error instanceof AggregateError)
    for (const inner of error.errors) collectErrors(inner, found, depth + 1);
  if (error.cause) collectErrors(error.cause, found, depth + 1);
  return found;
}

function asProtocolFailure(error: Error): ProtocolFailure | undefined {
  const apiId: unknown = Reflect.get(error, 'apiId');
  if (typeof apiId !== 'string') return undefined;
  const serverErrorMessage: unknown = Reflect.get(error, 'serverErrorMessage');
  return {
    apiId,
    serverErrorMessage: typeof serverErrorMessage === 'string' ? serverErrorMessage : null,
    message: error.message,
  };
}

function isNetworkFailure(error: Error): boolean {
  const code: unknown = Reflect.get(error, 'code');
  if (
    code === 'PLT_KFK_NETWORK' ||
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH'
  )
    return true;
  if (code === 'PLT_KFK_TIMEOUT' && /connect/i.test(error.message)) return true;
  return /Cannot connect to any broker/i.test(error.message);
}
