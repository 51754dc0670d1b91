// Small pieces the group handlers share.
import type { ConnectionInfo } from '../server/connection.js';

/** Kafka reports a member's host the way Java prints an InetAddress: with a leading slash. */
export function clientHostOf(connection: ConnectionInfo): string {
  return `/${connection.remoteAddress.replace(/^::ffff:/, '')}`;
}
