// Turns SQL text into tokens. Whitespace and comments (`-- ...` to the end of the line, `/* ... */`) are
// dropped; every token keeps its line and column so that errors and AST nodes can point into the text.
import { SqlParseError } from './errors.js';
import { SYMBOLS, type SourcePosition, type Token, type TokenKind } from './tokens.js';

const NUMBER = /\d+(\.\d*)?([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?/y;
const DIGIT_IDENTIFIER = /\d[A-Za-z0-9_@]+/y;
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_@]*)\}/y;

/** Where a text starts within a larger one (a statement cut out of a script), for true line and column. */
export interface TextOrigin {
  readonly line: number;
  readonly column: number;
}

export function tokenize(text: string, origin: TextOrigin = { line: 1, column: 1 }): Token[] {
  return new Lexer(text, origin).run();
}

function isWordStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95; // A-Z a-z _
}

function isWordPart(code: number): boolean {
  return isWordStart(code) || (code >= 48 && code <= 57) || code === 64; // 0-9 @
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

class Lexer {
  private offset = 0;
  private line: number;
  /** Offset of the first character of the current line, to compute columns (negative on an origin's line). */
  private lineStart: number;
  private readonly tokens: Token[] = [];

  constructor(
    private readonly text: string,
    origin: TextOrigin,
  ) {
    this.line = origin.line;
    this.lineStart = 1 - origin.column;
  }

  run(): Token[] {
    const text = this.text;
    while (this.offset < text.length) {
      const c = text[this.offset];
      const code = text.charCodeAt(this.offset);
      if (c === '\n') {
        this.offset++;
        this.newLine(this.offset);
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.offset++;
      } else if (c === '-' && text[this.offset + 1] === '-') {
        const end = text.indexOf('\n', this.offset);
        this.offset = end === -1 ? text.length : end;
      } else if (c === '/' && text[this.offset + 1] === '*') {
        this.blockComment();
      } else if (c === "'") {
        this.quoted('string', "'");
      } else if (c === '"' || c === '`') {
        this.quoted('quotedIdentifier', c);
      } else if (isWordStart(code)) {
        this.word();
      } else if (isDigit(code) || (c === '.' && isDigit(text.charCodeAt(this.offset + 1)))) {
        this.number();
      } else if (c === '$') {
        this.variable();
      } else {
        this.symbol();
      }
    }
    this.tokens.push({ kind: 'eof', text: '', value: '', pos: this.position(text.length), end: text.length });
    return this.tokens;
  }

  private position(offset: number): SourcePosition {
    return { line: this.line, column: offset - this.lineStart + 1, offset };
  }

  private newLine(lineStart: number): void {
    this.line++;
    this.lineStart = lineStart;
  }

  private push(kind: TokenKind, start: SourcePosition, end: number, value: string): void {
    this.tokens.push({ kind, text: this.text.slice(start.offset, end), value, pos: start, end });
    this.offset = end;
  }

  private blockComment(): void {
    const start = this.position(this.offset);
    const end = this.text.indexOf('*/', this.offset + 2);
    if (end === -1) {
      throw new SqlParseError({
        pos: start,
        token: "'/*'",
        expected: ["'*/'"],
        problem: 'unterminated comment: /* is never closed',
        hint: 'close the comment with */',
      });
    }
    this.skipCountingLines(end + 2);
  }

  /** Moves to `end`, keeping the line count right across newlines inside a comment or a quoted text. */
  private skipCountingLines(end: number): void {
    for (let i = this.offset; i < end; i++) {
      if (this.text[i] === '\n') this.newLine(i + 1);
    }
    this.offset = end;
  }

  /** 'string', "identifier" or `identifier`; the quote is escaped by doubling it. */
  private quoted(kind: 'string' | 'quotedIdentifier', quote: string): void {
    const start = this.position(this.offset);
    const startLine = this.line;
    const startLineStart = this.lineStart;
    let value = '';
    let i = this.offset + 1;
    for (;;) {
      const close = this.text.indexOf(quote, i);
      if (close === -1) {
        // Restore the position of the opening quote: the error points there, not at the end of the text.
        this.line = startLine;
        this.lineStart = startLineStart;
        const what = kind === 'string' ? 'string' : 'quoted identifier';
        throw new SqlParseError({
          pos: start,
          token: `${quote}`,
          expected: [`closing ${quote}`],
          problem: `unterminated ${what}: the ${quote} here is never closed`,
          hint:
            kind === 'string'
              ? `close the string with ' ; a quote inside a string is written twice: 'it''s'`
              : `close the identifier with ${quote}`,
        });
      }
      value += this.text.slice(i, close);
      if (this.text[close + 1] === quote) {
        value += quote;
        i = close + 2;
        continue;
      }
      const end = close + 1;
      const tokenStart = this.offset;
      this.skipCountingLines(end);
      this.tokens.push({ kind, text: this.text.slice(tokenStart, end), value, pos: start, end });
      return;
    }
  }

  private word(): void {
    const start = this.position(this.offset);
    let end = this.offset + 1;
    while (end < this.text.length && isWordPart(this.text.charCodeAt(end))) end++;
    this.push('word', start, end, this.text.slice(this.offset, end).toUpperCase());
  }

  /** A number, or an identifier that starts with a digit (1ST): the longer reading wins, a tie is a number. */
  private number(): void {
    const start = this.position(this.offset);
    NUMBER.lastIndex = this.offset;
    const number = NUMBER.exec(this.text);
    DIGIT_IDENTIFIER.lastIndex = this.offset;
    const identifier = DIGIT_IDENTIFIER.exec(this.text);
    const numberLength = number === null ? 0 : number[0].length;
    if (identifier !== null && identifier[0].length > numberLength) {
      this.push('digitIdentifier', start, this.offset + identifier[0].length, identifier[0].toUpperCase());
      return;
    }
    const text = number === null ? '' : number[0];
    const kind: TokenKind = /[eE]/.test(text) ? 'float' : text.includes('.') ? 'decimal' : 'integer';
    this.push(kind, start, this.offset + text.length, text);
  }

  private variable(): void {
    const start = this.position(this.offset);
    VARIABLE.lastIndex = this.offset;
    const match = VARIABLE.exec(this.text);
    if (match === null) {
      throw new SqlParseError({
        pos: start,
        token: "'$'",
        expected: ['${name}'],
        problem: "unexpected '$': a variable reference is written ${name}",
      });
    }
    this.push('variable', start, this.offset + match[0].length, match[1].toUpperCase());
  }

  private symbol(): void {
    const start = this.position(this.offset);
    for (const symbol of SYMBOLS) {
      if (this.text.startsWith(symbol, this.offset)) {
        this.push('symbol', start, this.offset + symbol.length, symbol);
        return;
      }
    }
    const char = String.fromCodePoint(this.text.codePointAt(this.offset) ?? 0);
    throw new SqlParseError({
      pos: start,
      token: `'${char}'`,
      expected: [],
      problem: `unexpected character '${char}'`,
      hint: /\p{L}/u.test(char)
        ? 'unquoted identifiers are ASCII letters, digits and _: put this name in backquotes (`name`)'
        : undefined,
    });
  }
}
