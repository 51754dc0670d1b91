// Parsers for setting values, shared by the flag, environment and venice.yaml sources so a bad value
// gets the same message wherever it was written. `where` names the source ("--kafka-port",
// "VENICE_KAFKA_PORT", "venice.yaml line 4, ports.kafka").
import { ConfigError } from './errors.js';
import { parseDuration } from './duration.js';

type Raw = unknown;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function show(value: Raw): string {
  return JSON.stringify(value) ?? String(value);
}

export function parsePort(raw: Raw, where: string, example: number): number {
  const port = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(
      `${where}: expected a port between 1 and 65535, got ${show(raw)}`,
      `write a whole number, for example ${example}`,
    );
  }
  return port;
}

export function parseHost(raw: Raw, where: string): string {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9.:_-]+$/.test(raw.trim())) {
    throw new ConfigError(
      `${where}: expected a host name or IP address, got ${show(raw)}`,
      'for example 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
    );
  }
  return raw.trim();
}

export function parseNonEmptyString(raw: Raw, where: string, example: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ConfigError(`${where}: expected a non-empty text, got ${show(raw)}`, `for example ${example}`);
  }
  return raw.trim();
}

/** retention.ms for new topics: -1 or "forever" keeps everything; otherwise ms or a duration like "7d". */
export function parseRetention(raw: Raw, where: string): number {
  if (raw === -1 || raw === '-1' || raw === 'forever') return -1;
  const ms =
    typeof raw === 'number' && Number.isInteger(raw) && raw > 0
      ? raw
      : typeof raw === 'string'
        ? parseDuration(raw)
        : null;
  if (ms === null || ms <= 0) {
    throw new ConfigError(
      `${where}: expected a retention time, got ${show(raw)}`,
      'write -1 or "forever" to keep records forever, milliseconds (604800000), or a duration like 7d, 12h, 30m',
    );
  }
  return ms;
}

/** A component list: a YAML list, or names separated by commas. */
export function parseComponents(raw: Raw, where: string, known: readonly string[]): string[] {
  const names =
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '')
      : Array.isArray(raw) && raw.every((name) => typeof name === 'string')
        ? raw.map((name: string) => name.trim())
        : null;
  if (names === null) {
    throw new ConfigError(
      `${where}: expected a list of component names, got ${show(raw)}`,
      `for example [${known.join(', ')}]`,
    );
  }
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${where}: unknown component${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}`,
      `the components this Venice has are: ${known.join(', ')}`,
    );
  }
  return [...new Set(names)];
}

/** host:port,host:port of an existing Kafka cluster. */
export function parseBootstrapServers(raw: Raw, where: string): string {
  const text = typeof raw === 'string' ? raw.trim() : Array.isArray(raw) ? raw.join(',') : '';
  const servers = text
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server !== '');
  const valid = servers.every((server) => {
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):(\d+)$/.exec(server);
    return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
  });
  if (servers.length === 0 || !valid) {
    throw new ConfigError(
      `${where}: expected host:port of one or more Kafka brokers, got ${show(raw)}`,
      'for example kafka-1.internal:9092,kafka-2.internal:9092',
    );
  }
  return servers.join(',');
}

export function parsePostgresUrl(raw: Raw, where: string): string {
  if (typeof raw !== 'string' || !/^postgres(ql)?:\/\/\S+$/.test(raw.trim())) {
    throw new ConfigError(
      `${where}: expected a PostgreSQL connection URL, got ${typeof raw === 'string' ? 'a malformed one' : show(raw)}`,
      'for example postgres://user:password@db.internal:5432/venice',
    );
  }
  return raw.trim();
}

/** One of a fixed list, written as the list writes it (case-insensitively). */
export function parseChoice<T extends string>(raw: Raw, where: string, choices: readonly T[]): T {
  const given = typeof raw === 'string' ? raw.trim().toUpperCase() : raw;
  const found = choices.find((choice) => choice.toUpperCase() === given);
  if (found === undefined) {
    throw new ConfigError(
      `${where}: expected one of ${choices.join(', ')}, got ${show(raw)}`,
      `for example ${choices[0]}`,
    );
  }
  return found;
}

/** A password: any non-empty text, kept as written; a message never repeats it. */
export function parseSecret(raw: Raw, where: string): string {
  if (typeof raw !== 'string' || raw === '') {
    throw new ConfigError(
      `${where}: expected a non-empty text`,
      'quote it in venice.yaml if it looks like a number',
    );
  }
  return raw;
}

export function parsePositiveInteger(raw: Raw, where: string, example: number): number {
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `${where}: expected a whole number of at least 1, got ${show(raw)}`,
      `for example ${example}`,
    );
  }
  return value;
}

export function parseLogLevel(raw: Raw, where: string): LogLevel {
  const level = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    throw new ConfigError(`${where}: unknown log level ${show(raw)}`, `use one of ${LOG_LEVELS.join(', ')}`);
  }
  return level as LogLevel;
}

/** A rate in records per second, above 0 ("10", "2.5", "200/s"). */
export function parseRate(raw: Raw, where: string): number {
  const rate =
    typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/\/s$/, '')) : NaN;
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new ConfigError(
      `${where}: expected records per second above 0, got ${show(raw)}`,
      'for example 10',
    );
  }
  return rate;
}

/** A count of records: a whole number above 0, or "none" (null) for no limit. */
export function parseOptionalCount(raw: Raw, where: string): number | null {
  if (raw === null || raw === 'none') return null;
  const count = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    throw new ConfigError(
      `${where}: expected a whole number of records above 0, got ${show(raw)}`,
      'for example 1000, or none for no limit',
    );
  }
  return count;
}

/** A seed for generated data: any text or number, or "none" (null) to pick one. */
export function parseOptionalSeed(raw: Raw, where: string): string | null {
  if (raw === null || raw === 'none') return null;
  if ((typeof raw !== 'string' && typeof raw !== 'number') || String(raw).trim() === '') {
    throw new ConfigError(`${where}: expected a seed (text or a number), got ${show(raw)}`, 'for example 42');
  }
  return String(raw).trim();
}
