// Cutting typed or scripted text into statements: a statement ends at a `;` outside strings, quoted
// names and comments (the SQL lexer finds them), so one may span lines and a line may hold several.
// Each is then told apart: a query (SELECT) streams rows, PRINT streams lines of text, SET/UNSET and DEFINE/UNDEFINE change
// the shell's own session, everything else goes to /ksql.
import { tokenize } from '../../sql/parser/lexer.js';
import type { Token } from '../../sql/parser/tokens.js';

export type StatementKind = 'query' | 'print' | 'statement' | 'set' | 'unset' | 'define' | 'undefine';

export interface ScriptStatement {
  readonly text: string;
  readonly kind: StatementKind;
  /** SET/DEFINE: the name and the value; UNSET/UNDEFINE: the name. */
  readonly name?: string;
  readonly value?: string;
}

export interface Split {
  readonly statements: ScriptStatement[];
  /** Text after the last complete statement: still being typed. */
  readonly rest: string;
}

export function splitStatements(text: string): Split {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    // An unterminated string or comment: nothing is complete until it is closed. Statements before it
    // are found by cutting at the last `;` the lexer can read up to.
    return splitBeforeUnterminated(text);
  }
  const statements: ScriptStatement[] = [];
  let start = 0;
  let pieceTokens: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'eof') break;
    if (token.kind === 'symbol' && token.value === ';') {
      // From its first token: comments before a statement are not part of it.
      if (pieceTokens.length > 0)
        statements.push(classify(text.slice(pieceTokens[0].pos.offset, token.end), pieceTokens));
      start = token.end;
      pieceTokens = [];
    } else pieceTokens.push(token);
  }
  return { statements, rest: text.slice(start) };
}

function splitBeforeUnterminated(text: string): Split {
  for (let cut = text.lastIndexOf(';'); cut >= 0; cut = text.lastIndexOf(';', cut - 1)) {
    try {
      tokenize(text.slice(0, cut + 1));
    } catch {
      continue;
    }
    const split = splitStatements(text.slice(0, cut + 1));
    return { statements: split.statements, rest: text.slice(cut + 1) };
  }
  return { statements: [], rest: text };
}

function classify(text: string, tokens: readonly Token[]): ScriptStatement {
  const first = tokens[0]?.kind === 'word' ? tokens[0].value : '';
  switch (first) {
    case 'SELECT':
      return { text, kind: 'query' };
    case 'PRINT':
      return { text, kind: 'print' };
    case 'SET':
      // SET 'name' = 'value';
      if (tokens[1]?.kind === 'string' && tokens[2]?.value === '=' && tokens[3]?.kind === 'string')
        return { text, kind: 'set', name: tokens[1].value, value: tokens[3].value };
      break;
    case 'UNSET':
      if (tokens[1]?.kind === 'string') return { text, kind: 'unset', name: tokens[1].value };
      break;
    case 'DEFINE':
      // DEFINE name = 'value';
      if (tokens[2]?.value === '=' && tokens[3]?.kind === 'string')
        return { text, kind: 'define', name: tokens[1].text, value: tokens[3].value };
      break;
    case 'UNDEFINE':
      if (tokens[1]) return { text, kind: 'undefine', name: tokens[1].text };
      break;
  }
  return { text, kind: 'statement' };
}
