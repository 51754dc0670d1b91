// Parsers for option values, shared by every command so bad values get the same clear message.
import { InvalidArgumentError } from 'commander';

export function integerOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed))
    throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}.`);
  return parsed;
}

export function portOption(value: string): number {
  const port = integerOption(value);
  if (port < 0 || port > 65535) throw new InvalidArgumentError(`a port is between 0 and 65535, got ${port}.`);
  return port;
}

/** A non-negative whole number that may exceed 2^53 (offsets, timestamps). */
export function bigintOption(value: string): bigint {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}.`);
  return BigInt(value);
}

/** The option every command that talks to Kafka takes (see connection.ts). */
export interface BootstrapOptions {
  bootstrapServers?: string;
}
