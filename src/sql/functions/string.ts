// String functions. Lengths and positions count UTF-16 code units, as Java's String does in ksqlDB.
// Their BYTES forms (bytes.ts) are overloads of the same functions.
import { SqlTypes, type SqlType, type SqlValue } from '../types/index.js';
import { concatBytes, joinBytes, padBytes, splitBytes, substringBytes } from './bytes.js';
import type { FunctionOverload, SqlFunction } from './registry.js';

const { STRING, INTEGER, BYTES } = SqlTypes;
const bytes = (v: SqlValue): Uint8Array => v as Uint8Array;
const nonNullBytes = (args: readonly SqlValue[]): Uint8Array[] =>
  args.filter((a): a is Uint8Array => a instanceof Uint8Array);

const str = (v: SqlValue): string => v as string;
const int = (v: SqlValue): number => v as number;

/** One overload taking strings (and whole numbers where `types` says) and returning a string. */
function strings(
  names: readonly string[],
  invoke: (args: readonly SqlValue[]) => SqlValue,
  types = names.map(() => STRING),
): FunctionOverload {
  return { params: names.map((name, i) => ({ name, type: types[i] ?? STRING })), returns: STRING, invoke };
}

/** An overload from (name, type) pairs. */
function overload(
  params: ReadonlyArray<readonly [string, SqlType]>,
  returns: SqlType,
  invoke: (args: readonly SqlValue[]) => SqlValue,
): FunctionOverload {
  return { params: params.map(([name, type]) => ({ name, type })), returns, invoke };
}

/** Java's String.trim: everything up to U+0020 counts as space. */
const isJavaSpace = (code: number): boolean => code <= 0x20;

function trimStart(s: string): string {
  let i = 0;
  while (i < s.length && isJavaSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}
function trimEnd(s: string): string {
  let i = s.length;
  while (i > 0 && isJavaSpace(s.charCodeAt(i - 1))) i--;
  return s.slice(0, i);
}

/** 1-based `pos`; a negative one counts from the end; past either end it is clamped. */
function substringStart(length: number, pos: number): number {
  return pos < 0 ? Math.max(length + pos, 0) : Math.max(Math.min(pos - 1, length), 0);
}

export function substring(s: string, pos: number, length?: number): string {
  const start = substringStart(s.length, pos);
  if (length === undefined) return s.slice(start);
  const end = Math.max(Math.min(start + length, s.length), start);
  return s.slice(start, end);
}

/**
 * 1-based index of the `occurrence`th `needle`, searching forward from `position`, or, when it is negative,
 * backward among the matches that end by the `-position`th character from the end; 0 when there is none
 * or when |position| is beyond the string, as ksqlDB.
 */
export function instr(s: string, needle: string, position = 1, occurrence = 1): number {
  if (position === 0 || occurrence < 1 || Math.abs(position) > s.length) return 0;
  const forward = position > 0;
  let index = -1;
  let from = forward ? position - 1 : s.length + position - needle.length + 1;
  for (let n = 0; n < occurrence; n++) {
    if (from < 0 || from > s.length) return 0;
    index = forward ? s.indexOf(needle, from) : s.lastIndexOf(needle, from);
    if (index < 0) return 0;
    from = forward ? index + 1 : index - 1;
  }
  return index + 1;
}

/** The padding repeated (and cut) to `length`; NULL for a negative length or an empty padding, as ksqlDB. */
function pad(input: string, length: number, padding: string, left: boolean): string | null {
  if (length < 0 || padding === '') return null;
  if (input.length >= length) return input.slice(0, length);
  const fill = padding
    .repeat(Math.ceil((length - input.length) / padding.length))
    .slice(0, length - input.length);
  return left ? fill + input : input + fill;
}

export function initcap(s: string): string {
  return s.replace(/\S+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
}

export const stringFunctions: readonly SqlFunction[] = [
  {
    name: 'CONCAT',
    description: 'Joins the strings; NULL ones are skipped.',
    overloads: [
      {
        params: [{ name: 'inputs', type: STRING }],
        variadic: true,
        returns: STRING,
        acceptsNulls: true,
        invoke: (args) => args.filter((a) => a !== null).join(''),
      },
      {
        params: [{ name: 'inputs', type: BYTES }],
        variadic: true,
        returns: BYTES,
        acceptsNulls: true,
        invoke: (args) => concatBytes(nonNullBytes(args)),
      },
    ],
  },
  {
    name: 'CONCAT_WS',
    description:
      'Joins the strings with a separator between them; NULL ones are skipped, a NULL separator gives NULL.',
    overloads: [
      {
        params: [
          { name: 'separator', type: STRING },
          { name: 'inputs', type: STRING },
        ],
        variadic: true,
        returns: STRING,
        acceptsNulls: true,
        invoke: ([separator, ...inputs]) =>
          separator === null || separator === undefined
            ? null
            : inputs.filter((a) => a !== null).join(str(separator)),
      },
      {
        params: [
          { name: 'separator', type: BYTES },
          { name: 'inputs', type: BYTES },
        ],
        variadic: true,
        returns: BYTES,
        acceptsNulls: true,
        invoke: ([separator, ...inputs]) =>
          separator instanceof Uint8Array ? joinBytes(nonNullBytes(inputs), separator) : null,
      },
    ],
  },
  {
    name: 'UCASE',
    description: 'Upper case.',
    overloads: [strings(['input'], ([s]) => str(s ?? '').toUpperCase())],
  },
  {
    name: 'LCASE',
    description: 'Lower case.',
    overloads: [strings(['input'], ([s]) => str(s ?? '').toLowerCase())],
  },
  {
    name: 'TRIM',
    description: 'Removes leading and trailing white space.',
    overloads: [strings(['input'], ([s]) => trimEnd(trimStart(str(s ?? ''))))],
  },
  {
    name: 'LTRIM',
    description: 'Removes leading white space.',
    overloads: [strings(['input'], ([s]) => trimStart(str(s ?? '')))],
  },
  {
    name: 'RTRIM',
    description: 'Removes trailing white space.',
    overloads: [strings(['input'], ([s]) => trimEnd(str(s ?? '')))],
  },
  {
    name: 'LEN',
    description: 'The number of characters (of bytes for BYTES).',
    overloads: [
      { params: [{ name: 'input', type: STRING }], returns: INTEGER, invoke: ([s]) => str(s ?? '').length },
      overload([['input', BYTES]], INTEGER, ([b]) => bytes(b ?? null).length),
    ],
  },
  {
    name: 'SUBSTRING',
    description:
      'The characters from pos (1-based; negative counts from the end), for length characters or to the end.',
    overloads: [
      strings(['str', 'pos'], ([s, pos]) => substring(str(s ?? ''), int(pos ?? 0)), [STRING, INTEGER]),
      strings(
        ['str', 'pos', 'length'],
        ([s, pos, len]) => substring(str(s ?? ''), int(pos ?? 0), int(len ?? 0)),
        [STRING, INTEGER, INTEGER],
      ),
      overload(
        [
          ['bytes', BYTES],
          ['pos', INTEGER],
        ],
        BYTES,
        ([b, pos]) => substringBytes(bytes(b ?? null), int(pos ?? 0)),
      ),
      overload(
        [
          ['bytes', BYTES],
          ['pos', INTEGER],
          ['length', INTEGER],
        ],
        BYTES,
        ([b, pos, len]) => substringBytes(bytes(b ?? null), int(pos ?? 0), int(len ?? 0)),
      ),
    ],
  },
  {
    name: 'REPLACE',
    description: 'Replaces every occurrence of a substring (taken literally).',
    overloads: [
      strings(['str', 'substring', 'replacement'], ([s, target, replacement]) =>
        str(s ?? '')
          .split(str(target ?? ''))
          .join(str(replacement ?? '')),
      ),
    ],
  },
  {
    name: 'INSTR',
    description: 'The 1-based position of a substring, 0 when absent or when either is NULL.',
    overloads: [
      {
        params: [
          { name: 'str', type: STRING },
          { name: 'substring', type: STRING },
        ],
        returns: INTEGER,
      },
      {
        params: [
          { name: 'str', type: STRING },
          { name: 'substring', type: STRING },
          { name: 'position', type: INTEGER },
        ],
        returns: INTEGER,
      },
      {
        params: [
          { name: 'str', type: STRING },
          { name: 'substring', type: STRING },
          { name: 'position', type: INTEGER },
          { name: 'occurrence', type: INTEGER },
        ],
        returns: INTEGER,
      },
    ].map((o) => ({
      ...o,
      // ksqlDB gives 0, not NULL, for a NULL string or substring; a NULL position or occurrence gives NULL.
      acceptsNulls: true,
      invoke: ([s, needle, position, occurrence]: readonly SqlValue[]) => {
        if (position === null || occurrence === null) return null;
        if (s === null || s === undefined || needle === null || needle === undefined) return 0;
        return instr(str(s), str(needle), int(position ?? 1), int(occurrence ?? 1));
      },
    })),
  },
  padFunction('LPAD', 'left'),
  padFunction('RPAD', 'right'),
  {
    name: 'SPLIT',
    description: 'Splits at each delimiter (taken literally); an empty delimiter splits into characters.',
    overloads: [
      {
        params: [
          { name: 'string', type: STRING },
          { name: 'delimiter', type: STRING },
        ],
        returns: SqlTypes.array(STRING),
        invoke: ([s, d]) => str(s ?? '').split(str(d ?? '')),
      },
      overload(
        [
          ['bytes', BYTES],
          ['delimiter', BYTES],
        ],
        SqlTypes.array(BYTES),
        ([b, d]) => splitBytes(bytes(b ?? null), bytes(d ?? null)),
      ),
    ],
  },
  {
    name: 'INITCAP',
    description: 'Capitalizes the first letter of each word and lower-cases the rest.',
    overloads: [strings(['input'], ([s]) => initcap(str(s ?? '')))],
  },
  {
    name: 'SPLIT_TO_MAP',
    description:
      'A map from text of entries split by one delimiter, each split into key and value by another. ' +
      'Empty entries and entries without a key delimiter are skipped.',
    overloads: [
      overload(
        [
          ['input', STRING],
          ['entryDelimiter', STRING],
          ['kvDelimiter', STRING],
        ],
        SqlTypes.map(STRING, STRING),
        ([s, entryDelimiter, kvDelimiter]) =>
          splitToMap(str(s ?? ''), str(entryDelimiter ?? ''), str(kvDelimiter ?? '')),
      ),
    ],
  },
];

/** NULL for an empty delimiter, as ksqlDB. */
export function splitToMap(
  s: string,
  entryDelimiter: string,
  kvDelimiter: string,
): Map<SqlValue, SqlValue> | null {
  if (entryDelimiter === '' || kvDelimiter === '') return null;
  const map = new Map<SqlValue, SqlValue>();
  for (const entry of s.split(entryDelimiter)) {
    const [key, value] = entry.split(kvDelimiter);
    if (entry !== '' && key !== undefined && value !== undefined) map.set(key, value);
  }
  return map;
}

/** LPAD and RPAD: the same function but for the side the padding goes. */
function padFunction(name: string, side: 'left' | 'right'): SqlFunction {
  const left = side === 'left';
  return {
    name,
    description: `Pads on the ${side} with the padding to the length, or cuts to it.`,
    overloads: [
      strings(
        ['input', 'length', 'padding'],
        ([s, len, p]) => pad(str(s ?? ''), int(len ?? 0), str(p ?? ''), left),
        [STRING, INTEGER, STRING],
      ),
      overload(
        [
          ['input', BYTES],
          ['length', INTEGER],
          ['padding', BYTES],
        ],
        BYTES,
        ([b, len, p]) => padBytes(bytes(b ?? null), int(len ?? 0), bytes(p ?? null), left),
      ),
    ],
  };
}
