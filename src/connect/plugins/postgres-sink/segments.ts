// The order of a put()'s writes to one table, kept through batching. A segment runs its deletes, then its
// rows, each as multi-row statements. Records for the same key are folded so that the end state is what
// running them one by one would give: in upsert and update mode the later row wins, a delete after a
// row of the same key drops that row, and a row after a delete runs after it. A change of column set
// (schemaless records with other fields) starts a new segment, so statements always have one column list.
import type { ColumnKind } from './columns.js';
import type { FieldValue, Write } from './records.js';
import type { TableColumn } from './tables.js';

/** A column of a segment's statements: a field name, the table column it lands in, and what the values are. */
export interface BoundColumn {
  readonly field: string;
  readonly column: TableColumn;
  /** From the segment's first row; decides the timestamp cast (see statements.ts). */
  readonly kind: ColumnKind;
  readonly isKey: boolean;
}

/** A write with the fields that have a column, in the order of its segment's columns. */
export interface PreparedWrite {
  readonly write: Write;
  readonly fields: readonly FieldValue[];
}

export interface Segment {
  readonly deletes: Map<string, PreparedWrite>;
  /** Keyed by the write's key when rows fold (upsert, update), in arrival order otherwise. */
  readonly rows: Map<string, PreparedWrite> | PreparedWrite[];
  signature: string | null;
  columns: readonly BoundColumn[] | null;
  deleteColumns: readonly BoundColumn[] | null;
  /** Keys of the rows, when rows do not fold: a delete of one of them must run after it. */
  readonly rowKeys: Set<string>;
}

export class SegmentBuilder {
  readonly segments: Segment[] = [];

  /** folds: upsert and update with a primary key; insert keeps every row, so the database judges duplicates. */
  constructor(private readonly folds: boolean) {}

  private open(): Segment {
    const segment: Segment = {
      deletes: new Map(),
      rows: this.folds ? new Map() : [],
      signature: null,
      columns: null,
      deleteColumns: null,
      rowKeys: new Set(),
    };
    this.segments.push(segment);
    return segment;
  }

  addDelete(prepared: PreparedWrite, columns: readonly BoundColumn[]): void {
    const key = prepared.write.keyId ?? '';
    let segment = this.segments.at(-1) ?? this.open();
    if (segment.rows instanceof Map) {
      segment.rows.delete(key);
    } else if (segment.rowKeys.has(key)) {
      segment = this.open();
    }
    segment.deleteColumns ??= columns;
    segment.deletes.set(key, prepared);
  }

  addRow(prepared: PreparedWrite, signature: string, columns: readonly BoundColumn[]): void {
    let segment = this.segments.at(-1) ?? this.open();
    if (segment.signature !== null && segment.signature !== signature) segment = this.open();
    if (segment.signature === null) {
      segment.signature = signature;
      segment.columns = columns;
    }
    const key = prepared.write.keyId;
    if (segment.rows instanceof Map) {
      segment.rows.set(key ?? '', prepared);
    } else {
      segment.rows.push(prepared);
      if (key !== null) segment.rowKeys.add(key);
    }
  }
}

export function segmentRows(segment: Segment): PreparedWrite[] {
  return segment.rows instanceof Map ? [...segment.rows.values()] : segment.rows;
}
