// What every route group of the REST API is given.
import type { Herder } from '../api/herder.js';

/** GET /health: the status code (200 ready, 503 not) and the body. */
export interface HealthAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface RouteContext {
  readonly herder: Herder;
  readonly health: () => HealthAnswer;
}
