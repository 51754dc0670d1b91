// JSON parsing that keeps numbers as they were written, so a BIGINT beyond 2^53 or a DECIMAL such as
// 1.10 prints exactly as the server sent it (JSON.parse would round the one and drop the other's zero).
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

/** A number as written in the JSON text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function parseJsonText(text: string): JsonValue {
  let index = 0;
  const fail = (): never => {
    throw new SyntaxError(`not JSON at position ${index}: ${text.slice(index, index + 20)}`);
  };
  const skip = () => {
    while (/\s/.test(text[index] ?? '')) index++;
  };
  const value = (): JsonValue => {
    skip();
    const char = text[index];
    if (char === '{') {
      index++;
      const object: { [key: string]: JsonValue } = {};
      skip();
      if (text[index] === '}') return (index++, object);
      for (;;) {
        skip();
        const key = value();
        if (typeof key !== 'string') fail();
        skip();
        if (text[index++] !== ':') fail();
        object[key as string] = value();
        skip();
        const next = text[index++];
        if (next === '}') return object;
        if (next !== ',') fail();
      }
    }
    if (char === '[') {
      index++;
      const array: JsonValue[] = [];
      skip();
      if (text[index] === ']') return (index++, array);
      for (;;) {
        array.push(value());
        skip();
        const next = text[index++];
        if (next === ']') return array;
        if (next !== ',') fail();
      }
    }
    if (char === '"') {
      const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(index));
      if (!match) fail();
      index += match![0].length;
      return JSON.parse(match![0]) as string;
    }
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index));
    if (number) {
      index += number[0].length;
      return new JsonNumber(number[0]);
    }
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const)
      if (text.startsWith(word, index)) {
        index += word.length;
        return literal;
      }
    return fail();
  };
  const result = value();
  skip();
  if (index < text.length) fail();
  return result;
}

/**
 * A value as one table cell, as ksqlDB's CLI prints it (Java's toString of the row's values): strings
 * bare, also inside arrays and maps, numbers as written, `[a, b]`, `{K=v}`.
 */
export function cellText(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber || typeof value === 'boolean') return String(value);
  return compactJson(value);
}

function compactJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(compactJson).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${key}=${compactJson(item)}`)
    .join(', ')}}`;
}
