// Column names of an aggregation's result, as ksqlDB gives them: an alias; a column's own name (with
// its join prefix, `T1_ID`); a struct field's name (`ADDRESS->TOWN` is TOWN); otherwise KSQL_COL_n, n
// counting the generated names in SELECT order and then the unnamed GROUP BY expressions.
import type { Expression } from '../../parser/index.js';

export class ColumnNamer {
  private next = 0;
  private readonly taken = new Set<string>();

  constructor(private readonly prefixOf: (source: string) => string | undefined) {}

  /** Marks a name as used, so that no generated name takes it. */
  reserve(name: string): void {
    this.taken.add(name);
  }

  /** The name an expression gets without an alias, or undefined when it must be generated. */
  naturalName(expr: Expression): string | undefined {
    if (expr.kind === 'ColumnRef') {
      const prefix = expr.source === undefined ? '' : (this.prefixOf(expr.source.value) ?? '');
      return prefix + expr.name.value;
    }
    if (expr.kind === 'Dereference') return expr.field.value;
    return undefined;
  }

  generate(): string {
    let name: string;
    do name = `KSQL_COL_${this.next++}`;
    while (this.taken.has(name));
    this.taken.add(name);
    return name;
  }
}
