// Field-name matching shared by the registry formats: ksqlDB matches a column to a schema field by its
// exact name first, then by the field's upper-cased name (unquoted SQL names are upper case).

/** Index of the field that holds `column`, or -1. */
export function matchField(fieldNames: readonly string[], column: string): number {
  const exact = fieldNames.indexOf(column);
  if (exact >= 0) return exact;
  return fieldNames.findIndex((name) => name.toUpperCase() === column);
}

/** The value of `object`'s member for `name`: exact, else case-insensitive (upper-cased member name). */
export function memberFor(names: readonly string[], column: string): string | undefined {
  const i = matchField(names, column);
  return i < 0 ? undefined : names[i];
}
