// What every route plugin is given.
import type { SchemaRegistry } from '../../registry.js';

export interface RouteContext {
  registry: SchemaRegistry;
}

/** Route config marking requests that change the registry: a follower forwards them to the primary. */
export const WRITE = { config: { write: true } } as const;
