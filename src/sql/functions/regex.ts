// Regular-expression functions. Patterns are compiled as JS regular expressions, which agree with Java's
// (what ksqlDB uses) on the common syntax; Java-only constructs (possessive quantifiers, \p{javaX}) fail
// to compile with a clear error. In replacements `$1` names a group in both.
import { SqlTypes, type SqlValue } from '../types/index.js';
import type { SqlFunction } from './registry.js';

const { STRING, INTEGER } = SqlTypes;
const str = (v: SqlValue): string => v as string;

const MAX_CACHED_PATTERNS = 256;
const patterns = new Map<string, RegExp>();

/** Compiles once per pattern: a query applies the same pattern to every record. */
function compile(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (regex === undefined) {
    try {
      // No 'u' flag: it would reject escapes Java allows, such as \_ or \-.
      regex = new RegExp(pattern, 'g');
    } catch (error) {
      throw new Error(`Invalid regular expression pattern '${pattern}': ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (patterns.size >= MAX_CACHED_PATTERNS) patterns.clear();
    patterns.set(pattern, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

/** The first match anywhere in `input` (Java's Matcher.find), or group `group` of it; NULL when none. */
export function regexpExtract(pattern: string, input: string, group = 0): string | null {
  const match = compile(pattern).exec(input);
  if (match === null) return null;
  if (group < 0 || group >= match.length) {
    throw new Error(
      `REGEXP_EXTRACT: group ${group} does not exist in '${pattern}' (it has ${match.length - 1})`,
    );
  }
  return match[group] ?? null;
}

export const regexFunctions: readonly SqlFunction[] = [
  {
    name: 'REGEXP_REPLACE',
    description: 'Replaces every match of the regular expression with the replacement ($1 for a group).',
    overloads: [
      {
        params: [
          { name: 'input', type: STRING },
          { name: 'regex', type: STRING },
          { name: 'replacement', type: STRING },
        ],
        returns: STRING,
        invoke: ([input, regex, replacement]) => str(input).replace(compile(str(regex)), str(replacement)),
      },
    ],
  },
  {
    name: 'REGEXP_EXTRACT',
    description:
      'The first substring matching the regular expression, or the given group of it; NULL when none.',
    overloads: [
      {
        params: [
          { name: 'pattern', type: STRING },
          { name: 'input', type: STRING },
        ],
        returns: STRING,
        invoke: ([pattern, input]) => regexpExtract(str(pattern), str(input)),
      },
      {
        params: [
          { name: 'pattern', type: STRING },
          { name: 'input', type: STRING },
          { name: 'group', type: INTEGER },
        ],
        returns: STRING,
        invoke: ([pattern, input, group]) => regexpExtract(str(pattern), str(input), group as number),
      },
    ],
  },
  {
    name: 'REGEXP_EXTRACT_ALL',
    description: 'Every substring matching the regular expression, or the given group of each match.',
    overloads: [
      {
        params: [
          { name: 'pattern', type: STRING },
          { name: 'input', type: STRING },
        ],
        returns: SqlTypes.array(STRING),
        invoke: ([pattern, input]) => regexpExtractAll(str(pattern), str(input), 0),
      },
      {
        params: [
          { name: 'pattern', type: STRING },
          { name: 'input', type: STRING },
          { name: 'group', type: INTEGER },
        ],
        returns: SqlTypes.array(STRING),
        invoke: ([pattern, input, group]) => regexpExtractAll(str(pattern), str(input), group as number),
      },
    ],
  },
  {
    name: 'REGEXP_SPLIT_TO_ARRAY',
    description: 'The parts of the text between matches of the regular expression, empty ones included.',
    overloads: [
      {
        params: [
          { name: 'input', type: STRING },
          { name: 'regex', type: STRING },
        ],
        returns: SqlTypes.array(STRING),
        invoke: ([input, regex]) => regexpSplit(str(input), str(regex)),
      },
    ],
  },
];

function regexpExtractAll(pattern: string, input: string, group: number): SqlValue[] {
  return [...input.matchAll(compile(pattern))].map((m) => m[group] ?? null);
}

/** Splits at each match; unlike JS's split, captured groups are not part of the result (as Java). */
function regexpSplit(input: string, pattern: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const m of input.matchAll(compile(pattern))) {
    const at = m.index;
    // A zero-width match at the very start does not make a leading empty part, as in Java 8+.
    if (m[0] === '' && at === 0) continue;
    parts.push(input.slice(start, at));
    start = at + m[0].length;
  }
  parts.push(input.slice(start));
  return parts;
}
