// The @platformatic/kafka clients behind one Venice connection, created on first use and closed
// together. Every call goes through `call`, which turns library errors into KafkaClientError.
import { copartitionedAssigner } from './copartitioned-assigner.js';
import { Admin, ConnectionPool, Consumer, Producer } from './library.js';
import { randomUUID } from 'node:crypto';
import { translateError, type KafkaClientError } from './errors.js';
import { librarySecurityOptions, type LibrarySecurityOptions } from './security.js';
import type { KafkaConnectionOptions } from './types.js';

export class KafkaConnection {
  readonly bootstrapServers: readonly string[];
  readonly clientId: string;
  #admin: Admin | undefined;
  #producer: Producer | undefined;
  readonly #consumers = new Set<Consumer>();
  readonly #producers = new Set<Producer>();
  readonly #pools = new Set<ConnectionPool>();
  /** Configured, or undefined to follow the cluster's size (internal-topics.ts). */
  readonly internalReplicationFactor: number | undefined;
  readonly #options: KafkaConnectionOptions;
  readonly #security: LibrarySecurityOptions;

  constructor(options: KafkaConnectionOptions) {
    this.bootstrapServers = parseBootstrapServers(options.bootstrapServers);
    this.clientId = options.clientId ?? 'venice';
    this.internalReplicationFactor = options.internalReplicationFactor;
    this.#options = options;
    this.#security = librarySecurityOptions(options.security);
  }

  /** Runs one operation; `subject` names what it is about, for "topic x does not exist" messages. */
  async call<T>(subject: string | undefined, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.translate(error, subject);
    }
  }

  translate(error: unknown, subject?: string): KafkaClientError {
    return translateError(error, this.bootstrapServers, subject);
  }

  get admin(): Admin {
    this.#admin ??= guarded(new Admin(this.#baseOptions()));
    return this.#admin;
  }

  get producer(): Producer {
    this.#producer ??= guarded(new Producer({ ...this.#baseOptions(), autocreateTopics: true }));
    return this.#producer;
  }

  /**
   * Drops the producers' cached metadata: a topic this connection created or deleted may come back with
   * another partition count, and a stale count would place records on partitions it no longer has.
   */
  forgetTopicMetadata(): void {
    this.#producer?.clearMetadata();
    for (const producer of this.#producers) producer.clearMetadata();
  }

  /** A consumer of its own for each consumption; without a group it never joins one. */
  newConsumer(groupId?: string, membership: GroupMembershipSettings = {}): Consumer {
    const consumer = guarded(
      new Consumer({
        ...this.#baseOptions(),
        groupId: groupId ?? `venice-reader-${randomUUID()}`,
        maxWaitTime: 500,
        sessionTimeout: membership.sessionTimeoutMs ?? 10_000,
        heartbeatInterval: membership.heartbeatIntervalMs ?? 1_000,
        ...(membership.copartitioned === true ? { partitionAssigner: copartitionedAssigner } : {}),
        // The library checks rebalanceTimeout >= sessionTimeout; Kafka's own default is 60 s.
        rebalanceTimeout: Math.max(60_000, membership.sessionTimeoutMs ?? 0),
      }),
    );
    this.#consumers.add(consumer);
    return consumer;
  }

  /** A producer of its own, for a BatchingProducer whose settings differ from the shared one's. */
  newProducer(settings: { idempotent: boolean; acks: number }): Producer {
    const producer = guarded(
      new Producer({
        ...this.#baseOptions(),
        autocreateTopics: true,
        idempotent: settings.idempotent,
        acks: settings.acks,
      }),
    );
    this.#producers.add(producer);
    return producer;
  }

  async closeProducer(producer: Producer): Promise<void> {
    this.#producers.delete(producer);
    await forceClose(producer);
  }

  /** Connections of Venice's own for requests it builds itself (see encoded-produce.ts). */
  newConnectionPool(): ConnectionPool {
    const pool = new ConnectionPool(this.clientId, {
      ...this.#security,
      connectTimeout: this.#options.connectTimeoutMs ?? 3_000,
      requestTimeout: this.requestTimeoutMs,
    });
    pool.on('connecting', ({ connection }: BrokerConnectionEvent) => ignoreLateErrors(connection));
    this.#pools.add(pool);
    return pool;
  }

  get requestTimeoutMs(): number {
    return this.#options.requestTimeoutMs ?? 10_000;
  }

  async closeConnectionPool(pool: ConnectionPool): Promise<void> {
    this.#pools.delete(pool);
    await pool.close();
  }

  async closeConsumer(consumer: Consumer): Promise<void> {
    this.#consumers.delete(consumer);
    await forceClose(consumer);
  }

  async close(): Promise<void> {
    const closing: Promise<unknown>[] = [];
    if (this.#admin) closing.push(this.#admin.close());
    if (this.#producer) closing.push(forceClose(this.#producer));
    for (const consumer of this.#consumers) closing.push(forceClose(consumer));
    for (const producer of this.#producers) closing.push(forceClose(producer));
    for (const pool of this.#pools) closing.push(pool.close());
    this.#admin = undefined;
    this.#producer = undefined;
    this.#consumers.clear();
    this.#producers.clear();
    this.#pools.clear();
    await Promise.allSettled(closing);
  }

  #baseOptions() {
    return {
      ...this.#security,
      clientId: this.clientId,
      bootstrapBrokers: [...this.bootstrapServers],
      connectTimeout: this.#options.connectTimeoutMs ?? 3_000,
      timeout: this.requestTimeoutMs,
      // A refused connection fails at once; one quick retry covers a broker that is just starting.
      retries: 1,
      retryDelay: 250,
    };
  }
}

export interface GroupMembershipSettings {
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Partition p of every topic to one member (copartitioned-assigner.ts) rather than round robin. */
  copartitioned?: boolean;
}

export function parseBootstrapServers(servers: string | readonly string[]): string[] {
  const list = (typeof servers === 'string' ? servers.split(',') : servers)
    .map((server) => server.trim())
    .filter((server) => server.length > 0);
  if (list.length === 0) throw new Error('no bootstrap servers given');
  return list;
}

/** Closes a client even with streams still open; a failure to close is not worth reporting. */
function forceClose(client: Consumer | Producer): Promise<void> {
  return new Promise((resolve) => client.close(true, () => resolve()));
}

interface BrokerConnectionEvent {
  connection: { on(event: 'error', listener: () => void): unknown };
}

/**
 * The library listens for a connection's first error only (a failed connect, a refused SASL login), so
 * a second one (the broker then resetting the socket) would be an uncaught 'error' event and kill the
 * process. Every failure already reaches the request that met it; later socket errors are dropped.
 */
function ignoreLateErrors(connection: BrokerConnectionEvent['connection']): void {
  connection.on('error', () => {});
}

function guarded<T extends Admin | Producer | Consumer>(client: T): T {
  for (const event of ['client:broker:connect', 'client:broker:failed'])
    client.on(event, ({ connection }: BrokerConnectionEvent) => ignoreLateErrors(connection));
  return client;
}
