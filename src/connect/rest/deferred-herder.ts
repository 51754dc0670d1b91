// The REST port opens before the worker has read its topics (its id names the port, which may be chosen
// by the system), so until the worker is started every route but GET /health answers 503, as Kafka
// Connect answers while it is starting up.
import { ConnectRestError } from '../api/errors.js';
import type { Herder } from '../api/herder.js';

export function deferredHerder(current: () => Herder | null): Herder {
  return new Proxy({} as Herder, {
    get(_target, key) {
      const herder = current();
      if (herder === null)
        throw new ConnectRestError(503, 'The worker is still starting up; try again in a moment');
      const value: unknown = Reflect.get(herder, key, herder);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(herder) : value;
    },
  });
}
