// Recognises common mistakes at the point where parsing failed and says what to do about them.
import { RESERVED_KEYWORDS, STATEMENT_KEYWORDS, type Token } from './tokens.js';

const CLAUSE_KEYWORDS = new Set(['FROM', 'WHERE', 'GROUP', 'PARTITION', 'HAVING', 'EMIT', 'LIMIT', 'WINDOW']);

export function hintFor(
  token: Token,
  expected: readonly string[],
  previous: Token | undefined,
  tokens: readonly Token[],
): string | undefined {
  const balance = parenthesisBalance(tokens);
  if (token.kind === 'eof' && balance > 0) return "a '(' is never closed: add the missing ')'";
  if (token.kind === 'symbol' && token.value === ')' && balance < 0) {
    return "this ')' has no matching '(': remove it or add the '('";
  }
  if (token.kind === 'variable') {
    return `variable \${${token.value}} is not defined: DEFINE ${token.value} = 'value'; before using it`;
  }
  if (token.kind === 'word') {
    if (token.value === 'RUN') return 'RUN SCRIPT is a command of the ksqlDB CLI, not a SQL statement';
    if (STATEMENT_KEYWORDS.has(token.value) && expected.includes("';'")) {
      return `missing ';' before ${token.value}? Statements in a script end with ';'`;
    }
    const wantsName = expected.includes('an identifier') || expected.includes('an expression');
    if (RESERVED_KEYWORDS.has(token.value) && wantsName) {
      // A clause keyword where a name was due: something is missing before it, the keyword is fine.
      if (CLAUSE_KEYWORDS.has(token.value)) {
        if (previous?.value === ',') return `remove the ',' before ${token.value}`;
        if (previous?.value === 'SELECT')
          return `name the columns to select before ${token.value}, or write *`;
        const missing = expected.includes('an expression') ? 'an expression' : 'a name';
        return `${missing} is missing before ${token.value}`;
      }
      return `${token.value} is a reserved word: to use it as a name, put it in backquotes: \`${token.text}\``;
    }
    const suggestion = closestKeyword(token.value, expected);
    if (suggestion !== undefined) return `did you mean ${suggestion}?`;
  }
  if (token.kind === 'string' && expected.includes('an identifier') && !expected.includes('a string')) {
    return 'single quotes make a string; names are quoted with backquotes (`name`) or double quotes';
  }
  return undefined;
}

/** Opening minus closing parentheses over the whole statement text. */
function parenthesisBalance(tokens: readonly Token[]): number {
  let balance = 0;
  for (const token of tokens) {
    if (token.kind !== 'symbol') continue;
    if (token.value === '(') balance++;
    else if (token.value === ')') balance--;
  }
  return balance;
}

/** An expected keyword within two edits of what was written (FORM → FROM), if there is one. */
function closestKeyword(word: string, expected: readonly string[]): string | undefined {
  if (word.length < 3) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of expected) {
    if (!/^[A-Z_]+$/.test(candidate)) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[i].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, rows[i - 2][j - 2] + 1);
      }
      rows[i].push(value);
    }
  }
  return rows[a.length][b.length];
}
