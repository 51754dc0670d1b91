// An exactly-once query that fails is started again: its failed transaction was aborted, so a new
// instance (state restored from the changelogs, reading from the committed offsets) reprocesses the
// batch, and the outputs hold it once. At least once keeps the old behaviour (the query stays in ERROR):
// its state may already hold the failed batch. A fenced query is not restarted: a newer engine runs it.
import { KafkaClientError } from '../../client/index.js';
import type { RuntimeDeps } from './context.js';
import type { PersistentQuery, PersistentQueryOptions, QueryState } from './index.js';

type Start = (onFailed: (error: unknown) => void) => Promise<PersistentQuery>;

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
/** Restarts in a row that processed nothing before the query is left in ERROR. */
const MAX_FRUITLESS_RESTARTS = 10;

export async function restartOnFailure(
  options: PersistentQueryOptions,
  deps: RuntimeDeps,
  start: Start,
): Promise<PersistentQuery> {
  const { queryId } = options;
  const totals = { consumed: 0, produced: 0, errors: 0 };
  let stopped = false;
  let restarting: Promise<void> | undefined;
  let gaveUp = false;
  let fruitless = 0;

  const onFailed = (error: unknown): void => {
    if (stopped || restarting) return;
    if (error instanceof KafkaClientError && error.kafkaError === 'PRODUCER_FENCED') {
      deps.logger.error({ queryId }, `query ${queryId} was fenced by a newer engine: not restarted`);
      return;
    }
    restarting = restart().finally(() => (restarting = undefined));
  };

  const restart = async (): Promise<void> => {
    for (;;) {
      const failed = current;
      const stats = failed.stats();
      fruitless = stats.consumed > 0 ? 0 : fruitless + 1;
      totals.consumed += stats.consumed;
      totals.produced += stats.produced;
      totals.errors += stats.errors;
      await failed.stop().catch(() => undefined);
      if (fruitless > MAX_FRUITLESS_RESTARTS) {
        gaveUp = true;
        deps.logger.error({ queryId }, `query ${queryId} keeps failing: left in ERROR`);
        return;
      }
      const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, fruitless - 1));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (stopped) return;
      deps.logger.warn({ queryId }, `query ${queryId} restarts from its committed offsets`);
      try {
        current = await start(onFailed);
        return;
      } catch (error) {
        deps.logger.error({ queryId, err: error }, `query ${queryId} could not restart`);
        current = failedStart(current);
      }
    }
  };

  let current = await start(onFailed);
  return {
    queryId,
    sink: options.sink,
    state: (): QueryState => (gaveUp ? 'ERROR' : restarting ? 'RUNNING' : current.state()),
    failure: () => current.failure?.(),
    stats: () => {
      const now = current.stats();
      return {
        consumed: totals.consumed + now.consumed,
        produced: totals.produced + now.produced,
        errors: totals.errors + now.errors,
      };
    },
    async stop(options) {
      stopped = true;
      await restarting;
      await current.stop(options);
    },
  };
}

/** Stands in for an instance that did not start, so the next attempt counts it as fruitless. */
function failedStart(previous: PersistentQuery): PersistentQuery {
  return {
    queryId: previous.queryId,
    sink: previous.sink,
    state: () => 'ERROR',
    stats: () => ({ consumed: 0, produced: 0, errors: 0 }),
    stop: () => Promise.resolve(),
  };
}
