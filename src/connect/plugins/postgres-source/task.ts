// The source task: polls its share of the tables (or the query) in turn, each at most every
// poll.interval.ms (at once again after a full batch), over one connection it opens on demand. A database
// that is away is a RetriableError: the worker polls again later and the task reconnects.
import type pg from 'pg';
import type { SourceRecord } from '../../api/data.js';
import { RetriableError } from '../../api/errors.js';
import type { ConnectorConfig, SourceTask, SourceTaskContext } from '../../api/plugin.js';
import { parseSourceSettings, taskTables, type SourceSettings } from './config.js';
import { connect, isUnavailable, retriableOr } from './connection.js';
import { Querier, parseTableName } from './querier.js';

/** poll() waits at most this long for the next table to be due, so it returns about once a second. */
const MAX_WAIT_MS = 1000;
const CONNECT_TIMEOUT_MS = 10_000;

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class PostgresSourceTask implements SourceTask {
  private settings!: SourceSettings;
  private context!: SourceTaskContext;
  private queriers: Querier[] = [];
  private client: pg.Client | undefined;
  private stopped = false;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    this.settings = parseSourceSettings(config);
    this.context = context;
    this.stopped = false;
    this.queriers =
      this.settings.query !== undefined
        ? [new Querier(this.settings, { kind: 'query', sql: this.settings.query })]
        : taskTables(config).map(
            (name) => new Querier(this.settings, { kind: 'table', table: parseTableName(name) }),
          );
    for (const querier of this.queriers) await querier.loadOffset(context);
  }

  async poll(signal: AbortSignal): Promise<readonly SourceRecord[]> {
    if (this.queriers.length === 0 || this.stopped) {
      await wait(MAX_WAIT_MS, signal);
      return [];
    }
    const next = this.queriers.reduce((soonest, querier) =>
      querier.nextPollAt < soonest.nextPollAt ? querier : soonest,
    );
    const dueIn = next.nextPollAt - Date.now();
    if (dueIn > 0) {
      await wait(Math.min(dueIn, MAX_WAIT_MS), signal);
      if (signal.aborted || next.nextPollAt > Date.now()) return [];
    }
    const client = await this.connection();
    try {
      const { records, more } = await next.poll(client, (message, error) =>
        this.context.logger.warn({ err: error ?? undefined, connector: this.context.connector }, message),
      );
      next.nextPollAt = more ? Date.now() : Date.now() + this.settings.pollIntervalMs;
      return records;
    } catch (error) {
      if (isUnavailable(error)) await this.dropConnection();
      throw retriableOr(error, this.settings.target, this.settings.connectionBackoffMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.dropConnection();
  }

  /** The open connection, or a new one after connection.attempts tries connection.backoff.ms apart. */
  private async connection(): Promise<pg.Client> {
    if (this.client !== undefined) return this.client;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.settings.connectionAttempts; attempt++) {
      try {
        this.client = await connect(this.settings.target, CONNECT_TIMEOUT_MS);
        return this.client;
      } catch (error) {
        lastError = error;
        if (!isUnavailable(error)) throw error;
        if (attempt < this.settings.connectionAttempts)
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(this.settings.connectionBackoffMs, 1000)),
          );
      }
    }
    const failure = retriableOr(lastError, this.settings.target, this.settings.connectionBackoffMs);
    throw failure instanceof RetriableError ? failure : lastError;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
