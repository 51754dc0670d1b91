// JSON with numbers kept as written. ksqlDB's runner compares an expected 1.10 (a decimal) differently from
// 1.1 or 1, and JSON.parse would lose that, both in the case files and in the records the engine writes.

/** A JSON number as its source text, e.g. `1.10`, `-3`, `1E+2`. */
export class JsonNumber {
  constructor(readonly text: string) {}
  get isIntegral(): boolean {
    return !/[.eE]/.test(this.text);
  }
  toNumber(): number {
    return Number(this.text);
  }
  toJSON(): number {
    return Number(this.text);
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

export class JsonTextError extends Error {
  override readonly name = 'JsonTextError';
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Parses JSON text; numbers become JsonNumber so their written form survives. */
export function parseJsonText(text: string): JsonValue {
  let at = 0;
  const skip = (): void => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const fail = (what: string): never => {
    throw new JsonTextError(`${what} at offset ${at}`);
  };
  const expectWord = (word: string): void => {
    if (text.startsWith(word, at)) at += word.length;
    else fail(`expected ${word}`);
  };
  const parseString = (): string => {
    // JSON.parse handles the escapes; find the closing quote first.
    let end = at + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) fail('unterminated string');
    const literal = text.slice(at, end + 1);
    at = end + 1;
    return JSON.parse(literal) as string;
  };
  const parseValue = (): JsonValue => {
    skip();
    const char = text[at];
    if (char === '{') {
      at++;
      const object: { [key: string]: JsonValue } = {};
      skip();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        skip();
        if (text[at] !== '"') fail('expected a property name');
        const key = parseString();
        skip();
        if (text[at] !== ':') fail("expected ':'");
        at++;
        object[key] = parseValue();
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === '}') {
          at++;
          return object;
        } else fail("expected ',' or '}'");
      }
    }
    if (char === '[') {
      at++;
      const array: JsonValue[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(parseValue());
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === ']') {
          at++;
          return array;
        } else fail("expected ',' or ']'");
      }
    }
    if (char === '"') return parseString();
    if (char === 't') return (expectWord('true'), true);
    if (char === 'f') return (expectWord('false'), false);
    if (char === 'n') return (expectWord('null'), null);
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return fail('unexpected character');
    at = NUMBER.lastIndex;
    return new JsonNumber(match[0]);
  };
  const value = parseValue();
  skip();
  if (at !== text.length) fail('unexpected text after the value');
  return value;
}

/** Writes JSON text, numbers as they were written. */
export function stringifyJsonText(value: JsonValue): string {
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringifyJsonText).join(',')}]`;
  const fields = Object.entries(value).map(
    ([key, field]) => `${JSON.stringify(key)}:${stringifyJsonText(field)}`,
  );
  return `{${fields.join(',')}}`;
}

/** Replaces every occurrence of a placeholder in all strings of a value (keys included). */
export function substituteText(value: JsonValue, placeholder: string, replacement: string): JsonValue {
  if (typeof value === 'string') return value.split(placeholder).join(replacement);
  if (value === null || typeof value === 'boolean' || value instanceof JsonNumber) return value;
  if (Array.isArray(value)) return value.map((item) => substituteText(item, placeholder, replacement));
  const result: { [key: string]: JsonValue } = {};
  for (const [key, field] of Object.entries(value)) {
    result[key.split(placeholder).join(replacement)] = substituteText(field, placeholder, replacement);
  }
  return result;
}

export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}
