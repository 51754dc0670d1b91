// What the sink and source task loops share: their inputs, and the stop signal they watch.
import type { Kafka } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import type { ConverterEnvironment } from '../api/converter.js';
import type { ConnectorConfig } from '../api/plugin.js';
import type { OffsetStore } from './offset-store.js';

export interface TaskRunnerInputs {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly converterEnvironment: ConverterEnvironment;
  readonly offsets: OffsetStore;
  readonly connector: string;
  readonly taskId: number;
  /** The task's config (the connector's config as its taskConfigs gave it). */
  readonly config: ConnectorConfig;
  /** The task started (RUNNING) or failed for good (FAILED, with the trace). */
  onState(state: 'RUNNING' | 'FAILED', trace?: string): void;
  /** A topic the task read or wrote, for GET /connectors/{name}/topics. */
  onTopic(topic: string): void;
}

export interface TaskRunner {
  /** Starts the loop in the background; its state comes through onState. */
  start(): void;
  /** Stops the loop, lets an in-flight write finish (a sink commits it) and stops the task. */
  stop(): Promise<void>;
}

/** A failure's text for the status's trace: the stack, with its causes. */
export function traceOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let trace = error.stack ?? `${error.name}: ${error.message}`;
  let cause = error.cause;
  while (cause instanceof Error) {
    trace += `\nCaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return trace;
}

/** Waits `ms`, or less when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
