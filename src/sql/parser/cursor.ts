// The parser's view of the token list: look ahead, consume, and build errors that list everything the
// parser tried at the furthest point it reached (as ANTLR does), so that "expecting" is complete.
import type { Identifier, SourcePosition } from './ast.js';
import { SqlParseError } from './errors.js';
import { hintFor } from './hints.js';
import { RESERVED_KEYWORDS, describeToken, type SymbolText, type Token } from './tokens.js';

export class TokenCursor {
  private index = 0;
  /** Index of the token where `expected` was recorded; alternatives tried there are listed in errors. */
  private expectedIndex = -1;
  private expected: string[] = [];
  /** First token of the statement being parsed: hints look at that statement only. */
  private statementStart = 0;

  constructor(
    readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** Marks the current token as the start of a statement. */
  startStatement(): void {
    this.statementStart = this.index;
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  /** The last consumed token (for the end of a statement's text). */
  previous(): Token {
    return this.tokens[Math.max(this.index - 1, 0)];
  }

  pos(): SourcePosition {
    return this.peek().pos;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  /** Records what would have been accepted at the current token, for the error message. */
  expect(description: string): void {
    if (this.index > this.expectedIndex) {
      this.expectedIndex = this.index;
      this.expected = [];
    }
    if (this.index === this.expectedIndex && !this.expected.includes(description)) {
      this.expected.push(description);
    }
  }

  isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.value === word;
  }

  isSymbol(symbol: SymbolText, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'symbol' && token.value === symbol;
  }

  /** Consumes the keyword if it is next; otherwise records it as expected and returns false. */
  acceptKeyword(word: string): boolean {
    if (this.isKeyword(word)) {
      this.index++;
      return true;
    }
    this.expect(word);
    return false;
  }

  acceptSymbol(symbol: SymbolText): boolean {
    if (this.isSymbol(symbol)) {
      this.index++;
      return true;
    }
    this.expect(`'${symbol}'`);
    return false;
  }

  /**
   * Consumes the keyword if it is next, without listing it in errors: for operators, which may follow any
   * expression and would drown the list of what the statement needs next.
   */
  tryKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index++;
    return true;
  }

  trySymbol(symbol: SymbolText): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index++;
    return true;
  }

  expectKeyword(word: string): Token {
    const token = this.peek();
    if (!this.acceptKeyword(word)) throw this.error();
    return token;
  }

  expectSymbol(symbol: SymbolText): Token {
    const token = this.peek();
    if (!this.acceptSymbol(symbol)) throw this.error();
    return token;
  }

  /** Whether the next token can be read as an identifier (non-reserved word, quoted or digit identifier). */
  isIdentifier(ahead = 0): boolean {
    const token = this.peek(ahead);
    if (token.kind === 'word') return !RESERVED_KEYWORDS.has(token.value);
    return token.kind === 'quotedIdentifier' || token.kind === 'digitIdentifier';
  }

  /** An optional name (an alias): consumed if present, and not listed in errors as expected. */
  tryIdentifier(): Identifier | undefined {
    return this.isIdentifier() ? this.expectIdentifier() : undefined;
  }

  expectIdentifier(): Identifier {
    if (!this.isIdentifier()) {
      this.expect('an identifier');
      throw this.error();
    }
    const token = this.next();
    return {
      kind: 'Identifier',
      value: token.value,
      quoted: token.kind === 'quotedIdentifier',
      pos: token.pos,
    };
  }

  /** A string literal's content. */
  expectString(): string {
    const token = this.peek();
    if (token.kind !== 'string') {
      this.expect('a string');
      throw this.error();
    }
    this.index++;
    return token.value;
  }

  /**
   * A whole number of at least 0, as in LIMIT 10 or SIZE 5 SECONDS. ksqlDB's grammar lets these be
   * negative or decimal and refuses them later; here they are refused where they are written.
   */
  expectInteger(what: string): number {
    const token = this.peek();
    if (
      token.kind === 'decimal' ||
      token.kind === 'float' ||
      (token.kind === 'symbol' && token.value === '-')
    ) {
      const text = token.kind === 'symbol' ? `${token.text}${this.peek(1).text}` : token.text;
      throw this.errorAt(token, `${what} must be a whole number of at least 0, not ${text}`, [what]);
    }
    if (token.kind !== 'integer') {
      this.expect(what);
      throw this.error();
    }
    this.index++;
    const value = Number(token.value);
    if (!Number.isSafeInteger(value)) {
      throw this.errorAt(token, `number ${token.text} is too large`, [what]);
    }
    return value;
  }

  /** The error for the current token: mismatched input, with what was expected there and a hint if any. */
  error(): SqlParseError {
    const token = this.peek();
    const expected = this.index === this.expectedIndex ? this.expected : [];
    return new SqlParseError({
      pos: token.pos,
      token: describeToken(token),
      expected,
      hint: hintFor(
        token,
        expected,
        this.index > 0 ? this.tokens[this.index - 1] : undefined,
        this.tokens.slice(this.statementStart, this.index + 1),
      ),
    });
  }

  /** An error with its own wording at a given token (a number out of range, an unknown time unit...). */
  errorAt(token: Token, problem: string, expected: readonly string[] = [], hint?: string): SqlParseError {
    return new SqlParseError({ pos: token.pos, token: describeToken(token), expected, problem, hint });
  }

  /**
   * A problem ksqlDB finds while building the AST rather than parsing (a literal out of range), with the
   * position in the message when ksqlDB gives it.
   */
  preparingErrorAt(token: Token, problem: string, pos = token.pos, located = true): SqlParseError {
    return new SqlParseError({
      pos,
      token: describeToken(token),
      expected: [],
      problem,
      whilePreparing: { located },
    });
  }
}
