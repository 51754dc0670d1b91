// The BYTES forms of the string functions (CONCAT, CONCAT_WS, SUBSTRING, LEN, SPLIT, LPAD, RPAD). ksqlDB
// gives them the same semantics as for strings, counting bytes instead of characters.

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function joinBytes(parts: readonly Uint8Array[], separator: Uint8Array): Uint8Array {
  return concatBytes(parts.flatMap((p, i) => (i === 0 ? [p] : [separator, p])));
}

/** As SUBSTRING on strings: 1-based, negative from the end, clamped. */
export function substringBytes(b: Uint8Array, pos: number, length?: number): Uint8Array {
  const start = pos < 0 ? Math.max(b.length + pos, 0) : Math.max(Math.min(pos - 1, b.length), 0);
  const end = length === undefined ? b.length : Math.max(Math.min(start + length, b.length), start);
  return b.slice(start, end);
}

function indexOfBytes(b: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= b.length; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Splits at each delimiter, keeping empty parts; an empty delimiter splits into single bytes. */
export function splitBytes(b: Uint8Array, delimiter: Uint8Array): Uint8Array[] {
  if (delimiter.length === 0) return [...b].map((byte) => Uint8Array.of(byte));
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = indexOfBytes(b, delimiter, 0); i >= 0; i = indexOfBytes(b, delimiter, start)) {
    parts.push(b.slice(start, i));
    start = i + delimiter.length;
  }
  parts.push(b.slice(start));
  return parts;
}

/** As LPAD/RPAD on strings: NULL for a negative length or an empty padding. */
export function padBytes(
  input: Uint8Array,
  length: number,
  padding: Uint8Array,
  left: boolean,
): Uint8Array | null {
  if (length < 0 || padding.length === 0) return null;
  if (input.length >= length) return input.slice(0, length);
  const fill = new Uint8Array(length - input.length).map((_, i) => padding[i % padding.length] ?? 0);
  return left ? concatBytes([fill, input]) : concatBytes([input, fill]);
}
