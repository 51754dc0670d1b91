// ksqlDB variables: DEFINE name = 'value'; then ${name} anywhere in later statements is replaced by the
// value before the statement is parsed (so a variable can stand for a name, a literal, or any text).
// Names are case-insensitive, like identifiers.

/** Variables by upper-cased name. */
export type Variables = ReadonlyMap<string, string>;

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_@]*)\}/g;

/**
 * Replaces every ${name} whose name is defined; undefined references are left as written, so the parser
 * reports them with their position and a hint to DEFINE them.
 */
export function substituteVariables(text: string, variables: Variables): string {
  if (variables.size === 0 || !text.includes('${')) return text;
  return text.replace(REFERENCE, (reference, name: string) => variables.get(name.toUpperCase()) ?? reference);
}
