// Kafka's principal.builder idea, minimal: a function that names the principal of a connection before
// any authentication, from what the connection shows (its address, its listener). Embedders and tests
// use it to act as several principals over plain TCP; authentication, once it succeeds, overrides it.
import type { ConnectionInfo } from '../server/connection.js';

export type PrincipalBuilder = (connection: Pick<ConnectionInfo, 'remoteAddress' | 'listenerName'>) => string;
