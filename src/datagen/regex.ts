// Strings matching a regular expression, for datagen's `regex` annotation and JSON Schema's `pattern`.
// A subset: literals, escapes (\d \w \s \. ...), classes ([a-z0-9_], [^...] is refused), groups with
// alternation, `.`, and repetition (? * + {n} {n,m}); anchors are ignored.
import { DatagenSchemaError } from './errors.js';
import type { Random } from './random.js';

type Node =
  | { kind: 'chars'; chars: string }
  | { kind: 'group'; alternatives: Node[][] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

/** How many extra repeats `*` and `+` allow. */
const OPEN_REPEAT = 8;
const DIGITS = '0123456789';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WORD = `${LETTERS}${DIGITS}_`;
const PRINTABLE = `${WORD} -.,`;

export type StringGenerator = (random: Random) => string;

export function regexGenerator(pattern: string): StringGenerator {
  const parser = new RegexParser(pattern);
  const tree = parser.parseAlternatives();
  if (!parser.done()) parser.fail('unbalanced )');
  return (random) => render({ kind: 'group', alternatives: tree }, random);
}

function render(node: Node, random: Random): string {
  switch (node.kind) {
    case 'chars':
      return node.chars[Math.floor(random.next() * node.chars.length)];
    case 'group':
      return random
        .pick(node.alternatives)
        .map((part) => render(part, random))
        .join('');
    case 'repeat': {
      const times = random.int(node.min, node.max);
      let text = '';
      for (let index = 0; index < times; index++) text += render(node.node, random);
      return text;
    }
  }
}

class RegexParser {
  #at = 0;
  constructor(readonly pattern: string) {}

  done(): boolean {
    return this.#at >= this.pattern.length;
  }

  fail(problem: string): never {
    throw new DatagenSchemaError(
      `cannot generate strings for the regex ${JSON.stringify(this.pattern)}: ${problem} at position ${this.#at}; ` +
        'use literals, classes like [a-z0-9], groups (a|b) and repetition (? * + {n,m})',
    );
  }

  parseAlternatives(): Node[][] {
    const alternatives: Node[][] = [[]];
    while (!this.done() && this.pattern[this.#at] !== ')') {
      const char = this.pattern[this.#at];
      if (char === '|') {
        this.#at++;
        alternatives.push([]);
        continue;
      }
      if (char === '^' || char === '$') {
        this.#at++;
        continue;
      }
      const atom = this.parseAtom();
      alternatives[alternatives.length - 1].push(this.parseRepeat(atom));
    }
    return alternatives;
  }

  parseAtom(): Node {
    const char = this.pattern[this.#at++];
    if (char === '(') {
      if (this.pattern.startsWith('?:', this.#at)) this.#at += 2;
      const alternatives = this.parseAlternatives();
      if (this.pattern[this.#at] !== ')') this.fail('missing )');
      this.#at++;
      return { kind: 'group', alternatives };
    }
    if (char === '[') return { kind: 'chars', chars: this.parseClass() };
    if (char === '.') return { kind: 'chars', chars: PRINTABLE };
    if (char === '\\') return { kind: 'chars', chars: this.parseEscape() };
    if ('*+?{'.includes(char)) this.fail(`nothing to repeat before ${char}`);
    return { kind: 'chars', chars: char };
  }

  parseEscape(): string {
    const char = this.pattern[this.#at++];
    if (char === undefined) this.fail('a trailing backslash');
    if (char === 'd') return DIGITS;
    if (char === 'w') return WORD;
    if (char === 's') return ' ';
    if ('DWSbB'.includes(char)) this.fail(`\\${char} is not supported`);
    return char;
  }

  parseClass(): string {
    if (this.pattern[this.#at] === '^') this.fail('negated classes [^...] are not supported');
    let chars = '';
    while (this.pattern[this.#at] !== ']') {
      if (this.done()) this.fail('missing ]');
      let first = this.pattern[this.#at++];
      if (first === '\\') {
        const escaped = this.parseEscape();
        if (escaped.length > 1) {
          chars += escaped;
          continue;
        }
        first = escaped;
      }
      if (
        this.pattern[this.#at] === '-' &&
        this.pattern[this.#at + 1] !== ']' &&
        this.#at + 1 < this.pattern.length
      ) {
        this.#at++;
        let last = this.pattern[this.#at++];
        if (last === '\\') last = this.parseEscape();
        if (last.charCodeAt(0) < first.charCodeAt(0)) this.fail(`the range ${first}-${last} is backwards`);
        for (let code = first.charCodeAt(0); code <= last.charCodeAt(0); code++)
          chars += String.fromCharCode(code);
      } else chars += first;
    }
    this.#at++;
    if (chars.length === 0) this.fail('an empty class []');
    return chars;
  }

  parseRepeat(node: Node): Node {
    const char = this.pattern[this.#at];
    let min: number;
    let max: number;
    if (char === '?') [min, max] = [0, 1];
    else if (char === '*') [min, max] = [0, OPEN_REPEAT];
    else if (char === '+') [min, max] = [1, OPEN_REPEAT];
    else if (char === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.#at));
      if (!match) this.fail('a malformed {n,m}');
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? min + OPEN_REPEAT : Number(match[3]);
      if (max < min) this.fail(`{${min},${max}} has its bounds backwards`);
      this.#at += match[0].length - 1;
    } else return node;
    this.#at++;
    if (this.pattern[this.#at] === '?') this.#at++; // lazy: the same strings
    return { kind: 'repeat', node, min, max };
  }
}
