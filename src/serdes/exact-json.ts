// A JSON reader that keeps numbers exact (used by the SQL JSON format and Connect's JsonConverter). JSON.parse turns every number into a double, so a BIGINT past 2^53
// or a DECIMAL(33, 16) would come out changed; ksqlDB's reader (Jackson with exact big decimals) does not.
// Small whole numbers (the common case) are plain JS numbers; any other number keeps its text.

/** A number literal that is not a small whole number: a fraction, an exponent, or more than 15 digits. */
export class JsonNumberText {
  constructor(
    readonly text: string,
    /** No fraction or exponent: an integer literal, just too long for a double. */
    readonly integral: boolean,
  ) {}
}

/** An object's members in document order (a duplicate name appears twice; readers take the last). */
export class JsonObject {
  readonly names: string[] = [];
  readonly values: JsonValue[] = [];
}

export type JsonValue = null | boolean | number | JsonNumberText | string | JsonValue[] | JsonObject;

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Parses a whole JSON document; throws JsonSyntaxError with the position on anything else. */
export function readJson(text: string): JsonValue {
  const reader = new Reader(text);
  reader.skipSpace();
  const value = reader.value();
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail('unexpected text after the JSON value');
  return value;
}

/** Receives the members of a top-level object as they are read (see readJsonMembers). */
export interface JsonMemberSink {
  member(name: string, value: JsonValue): void;
}

/** What readJsonMembers returns when the document was an object and its members went to the sink. */
export const MEMBERS_SENT: unique symbol = Symbol('members sent');

/**
 * Parses a document; a top-level object is not built but handed member by member to `sink` (a row's
 * columns are picked straight out of the text). Any other document is returned as its value.
 */
export function readJsonMembers(text: string, sink: JsonMemberSink): JsonValue | typeof MEMBERS_SENT {
  const reader = new Reader(text);
  reader.skipSpace();
  if (text.charCodeAt(reader.pos) !== 0x7b) {
    const value = reader.value();
    reader.skipSpace();
    if (reader.pos < text.length) reader.fail('unexpected text after the JSON value');
    return value;
  }
  reader.members(sink);
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail('unexpected text after the JSON value');
  return MEMBERS_SENT;
}

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    const near = this.text.slice(this.pos, this.pos + 20);
    const at = this.pos >= this.text.length ? 'at the end' : `at position ${this.pos} ('${near}')`;
    throw new JsonSyntaxError(`invalid JSON: ${what} ${at}`);
  }

  skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  value(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.string();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number();
    if (this.text.startsWith('true', this.pos)) return this.word(4, true);
    if (this.text.startsWith('false', this.pos)) return this.word(5, false);
    if (this.text.startsWith('null', this.pos)) return this.word(4, null);
    return this.fail(Number.isNaN(c) ? 'expected a value' : 'unexpected character');
  }

  private word<T>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  /** The members of the object at pos, to a sink instead of an object. */
  members(sink: JsonMemberSink): void {
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail('expected a member name');
      const name = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
      this.pos++;
      this.skipSpace();
      sink.member(name, this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
      this.skipSpace();
    }
  }

  private object(): JsonObject {
    const object = new JsonObject();
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return object;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail('expected a member name');
      object.names.push(this.string());
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
      this.pos++;
      this.skipSpace();
      object.values.push(this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return object;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
      this.skipSpace();
    }
  }

  private array(): JsonValue[] {
    const array: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return array;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
      this.skipSpace();
    }
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    let pos = start;
    // Fast path: no escapes, the common case, is one slice.
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === BACKSLASH) break;
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = pos;
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in string');
      }
      pos++;
    }
    let out = text.slice(start, pos);
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return out;
      }
      if (c === BACKSLASH) {
        const escape = text.charCodeAt(pos + 1);
        pos += 2;
        switch (escape) {
          case QUOTE:
            out += '"';
            break;
          case BACKSLASH:
            out += '\\';
            break;
          case 0x2f:
            out += '/';
            break;
          case 0x62:
            out += '\b';
            break;
          case 0x66:
            out += '\f';
            break;
          case 0x6e:
            out += '\n';
            break;
          case 0x72:
            out += '\r';
            break;
          case 0x74:
            out += '\t';
            break;
          case 0x75: {
            const hex = text.slice(pos, pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.pos = pos;
              this.fail('bad \\u escape');
            }
            out += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            this.pos = pos - 2;
            this.fail('bad escape');
        }
        continue;
      }
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = pos;
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in string');
      }
      out += text[pos];
      pos++;
    }
  }

  private number(): number | JsonNumberText {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === MINUS) pos++;
    const digitsStart = pos;
    let c = text.charCodeAt(pos);
    if (c === ZERO) pos++;
    else if (c >= 0x31 && c <= NINE) {
      do c = text.charCodeAt(++pos);
      while (c >= ZERO && c <= NINE);
    } else {
      this.pos = pos;
      this.fail('expected a digit');
    }
    const intDigits = pos - digitsStart;
    let integral = true;
    c = text.charCodeAt(pos);
    if (c === 0x2e) {
      integral = false;
      c = text.charCodeAt(++pos);
      if (!(c >= ZERO && c <= NINE)) {
        this.pos = pos;
        this.fail('expected a digit after the decimal point');
      }
      do c = text.charCodeAt(++pos);
      while (c >= ZERO && c <= NINE);
    }
    if (c === 0x65 || c === 0x45) {
      integral = false;
      c = text.charCodeAt(++pos);
      if (c === 0x2b || c === MINUS) c = text.charCodeAt(++pos);
      if (!(c >= ZERO && c <= NINE)) {
        this.pos = pos;
        this.fail('expected a digit in the exponent');
      }
      do c = text.charCodeAt(++pos);
      while (c >= ZERO && c <= NINE);
    }
    this.pos = pos;
    if (integral && intDigits <= 15) {
      // Up to 15 digits is always exact as a double; build it without allocating the text.
      let value = 0;
      for (let i = digitsStart; i < pos; i++) value = value * 10 + (text.charCodeAt(i) - ZERO);
      return digitsStart === start ? value : -value;
    }
    return new JsonNumberText(text.slice(start, pos), integral);
  }
}
