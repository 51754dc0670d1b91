import { InvalidSchemaError } from './types.js';

/** A JSON value as parsed from schema text. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses schema text as JSON, turning syntax errors into InvalidSchemaError with the line and column. */
export function parseJsonText(text: string, what: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset).split('\n');
      where = ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
    }
    throw new InvalidSchemaError(`${what} is not valid JSON${where}: ${message}`);
  }
}

/** JSON text with object keys sorted at every level and no whitespace: equal for equal JSON values. */
export function stableStringify(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
