// Kafka's topic name rules: legal characters, length, and the '.'/'_' collision check.
import { ErrorCode } from '../../protocol/error-codes.js';
import { LogError } from './errors.js';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Throws LogError(INVALID_TOPIC_EXCEPTION) unless `name` is a legal topic name. */
export function validateTopicName(name: string): void {
  const fail = (why: string) =>
    new LogError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Invalid topic name ${JSON.stringify(name)}: ${why}`);
  if (name.length === 0) throw fail('it is empty');
  if (name === '.' || name === '..') throw fail('"." and ".." are not allowed');
  if (name.length > MAX_TOPIC_NAME_LENGTH)
    throw fail(`it is longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  if (!LEGAL.test(name)) throw fail('only ASCII letters, digits, ".", "_" and "-" are allowed');
}

/** '.' and '_' map to the same metric name in Kafka, so topics differing only there collide. */
export function collisionKey(name: string): string {
  return name.replace(/\./g, '_');
}
