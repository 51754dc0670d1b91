// A small JSON reader and writer for the JSON functions. Unlike JSON.parse it keeps each number's text,
// so that '1.23450' or a 64-bit id comes back out exactly as it went in, as Jackson's tree does in ksqlDB.

export type JsonNode =
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, JsonNode]> }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  value(): JsonNode {
    this.space();
    const c = this.s.charAt(this.i);
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'string', value: this.string() };
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (number !== null) {
      this.i += number[0].length;
      return { kind: 'number', text: number[0] };
    }
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    throw new Error(`invalid JSON at offset ${this.i}`);
  }

  private object(): JsonNode {
    this.i++;
    const entries: Array<[string, JsonNode]> = [];
    this.space();
    if (this.s.charAt(this.i) === '}') {
      this.i++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.space();
      if (this.s.charAt(this.i) !== '"') throw new Error(`expected a field name at offset ${this.i}`);
      const key = this.string();
      this.expect(':');
      entries.push([key, this.value()]);
      this.space();
      const c = this.s.charAt(this.i++);
      if (c === '}') return { kind: 'object', entries };
      if (c !== ',') throw new Error(`expected ',' or '}' at offset ${this.i - 1}`);
    }
  }

  private array(): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.space();
    if (this.s.charAt(this.i) === ']') {
      this.i++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.space();
      const c = this.s.charAt(this.i++);
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') throw new Error(`expected ',' or ']' at offset ${this.i - 1}`);
    }
  }

  private string(): string {
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.s.slice(this.i));
    if (match === null) throw new Error(`invalid string at offset ${this.i}`);
    this.i += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  private expect(c: string): void {
    this.space();
    if (this.s.charAt(this.i) !== c) throw new Error(`expected '${c}' at offset ${this.i}`);
    this.i++;
  }

  private space(): void {
    while (/\s/.test(this.s.charAt(this.i))) this.i++;
  }
}

/** The first JSON value in the text (anything after it is ignored, as Jackson's readTree does). */
export function parseJson(text: string): JsonNode {
  return new Reader(text).value();
}

/** The JSON value, or undefined when the text is not JSON. */
export function tryParseJson(text: string): JsonNode | undefined {
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}

/** Compact JSON, as Jackson writes it. */
export function writeJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(writeJson).join(',')}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

/** A string node's text itself; any other node as JSON. */
export const nodeText = (node: JsonNode): string => (node.kind === 'string' ? node.value : writeJson(node));

/**
 * Follows a JSONPath of fields and indexes: `$.a.b`, `$.a[0]`, `$['a b']`, `$.@type`. Undefined when a
 * step is missing (or an index negative).
 */
export function followPath(root: JsonNode, path: string): JsonNode | undefined {
  const steps = /^\$/.test(path) ? path.slice(1) : path;
  const step = /\.([^.[\]]+)|\[\s*(-?\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/y;
  let node: JsonNode | undefined = root;
  let at = 0;
  while (at < steps.length && node !== undefined) {
    step.lastIndex = at;
    const m = step.exec(steps);
    if (m === null) throw new Error(`Invalid JsonPath: ${path}`);
    at = step.lastIndex;
    const field = m[1] ?? m[3] ?? m[4];
    if (field !== undefined) {
      node = node.kind === 'object' ? node.entries.find(([k]) => k === field)?.[1] : undefined;
    } else {
      const index = Number(m[2]);
      node = node.kind === 'array' && index >= 0 ? node.items[index] : undefined;
    }
  }
  return node;
}
