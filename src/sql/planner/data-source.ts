// A stream or table the catalog knows: what the planner reads and writes. Owned by the catalog
// (engine/catalog.ts); the planner sees it through CatalogView.
import type { FormatName, FormatOptions } from '../formats/format.js';
import type { LogicalSchema } from './schema.js';

export type WindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

export interface WindowInfo {
  readonly type: WindowType;
  /** Tumbling and hopping windows: the window size in ms (WINDOWEND = WINDOWSTART + size). */
  readonly sizeMs?: number;
  /**
   * A windowed aggregation's store retention (ms): a pull query leaves out the time windows starting,
   * and the sessions ending, that far behind stream time. Unknown for a source declared windowed.
   */
  readonly retentionMs?: number;
}

export interface DataSource {
  readonly name: string;
  readonly kind: 'STREAM' | 'TABLE';
  readonly schema: LogicalSchema;
  readonly topic: string;
  readonly keyFormat: FormatName;
  readonly valueFormat: FormatName;
  readonly keyOptions: FormatOptions;
  readonly valueOptions: FormatOptions;
  /** TIMESTAMP='col': ROWTIME comes from this column (with TIMESTAMP_FORMAT for a STRING column). */
  readonly timestampColumn?: { readonly name: string; readonly format?: string };
  /** A windowed key (a table made by a windowed aggregation). */
  readonly window?: WindowInfo;
  /** CREATE SOURCE STREAM/TABLE: read-only. */
  readonly isSource: boolean;
  /** The statement that made it, for DESCRIBE. */
  readonly sqlText: string;
  /** The persistent query that writes it, for CSAS/CTAS. */
  readonly createdByQuery?: string;
}

export interface CatalogView {
  source(name: string): DataSource | undefined;
}
