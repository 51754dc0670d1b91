// The metastore: the streams and tables the engine knows, the custom types (CREATE TYPE), and the
// persistent queries that run between them. The planner sees it through CatalogView; the statement
// executors change it. It holds no I/O: replaying the command topic rebuilds it statement by statement.
import type { CatalogView, DataSource } from '../planner/data-source.js';
import type { SqlType } from '../types/index.js';

/** How a persistent query came to be, which decides how DROP treats it (as ksqlDB's query registry). */
export type PersistentQueryKind = 'CREATE_AS' | 'INSERT';

/** What a running query tells about itself; the runtime's PersistentQuery fits. */
export interface QueryControl {
  state(): string;
  /** What stopped the query, when it failed. */
  failure?(): { readonly message: string; readonly timestamp: number } | undefined;
  /** keepState: the server is shutting down (the query's disk state stays for its next start). */
  stop(options?: { readonly keepState?: boolean }): Promise<void>;
}

export interface QueryEntry {
  /** CSAS_<SINK>_<n>, CTAS_<SINK>_<n> or INSERTQUERY_<n>. */
  readonly id: string;
  readonly kind: PersistentQueryKind;
  readonly statementText: string;
  readonly sinkName: string;
  readonly sinkTopic: string;
  /** The sources it reads, in FROM/JOIN order. */
  readonly sourceNames: readonly string[];
  /** The statement's overriding properties, as EXPLAIN shows them. */
  readonly overriddenProperties: Readonly<Record<string, unknown>>;
  /** The running query; absent while it is being started or once it failed to start. */
  control?: QueryControl;
}

/** ksqlDB's query ids: the sink's name and the command's sequence number (its command topic offset). */
export function persistentQueryId(
  kind: PersistentQueryKind,
  sinkKind: 'STREAM' | 'TABLE',
  sinkName: string,
  sequence: number,
): string {
  if (kind === 'INSERT') return `INSERTQUERY_${sequence}`;
  return `${sinkKind === 'STREAM' ? 'CSAS' : 'CTAS'}_${sinkName.toUpperCase()}_${sequence}`;
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

export class Catalog implements CatalogView {
  private readonly sourcesByName = new Map<string, DataSource>();
  private readonly typesByName = new Map<string, SqlType>();
  private readonly queriesById = new Map<string, QueryEntry>();
  /** A CREATE ... AS SELECT sink → the sources its query read, kept after the query ends (DROP constraints). */
  private readonly readsFrom = new Map<string, readonly string[]>();

  // ------------------------------------------------------------ sources

  source(name: string): DataSource | undefined {
    return this.sourcesByName.get(name);
  }

  /** Every source, by name. */
  sources(kind?: 'STREAM' | 'TABLE'): DataSource[] {
    return [...this.sourcesByName.values()]
      .filter((source) => kind === undefined || source.kind === kind)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Adds a source, or replaces one of the same name when `replace` (CREATE OR REPLACE, ALTER).
   * `readsFrom`: the sources of the query that fills it (CREATE ... AS SELECT).
   */
  putSource(source: DataSource, replace = false, readsFrom?: readonly string[]): void {
    const existing = this.sourcesByName.get(source.name);
    if (existing !== undefined && !replace) {
      throw new CatalogError(
        `Cannot add ${source.kind.toLowerCase()} '${source.name}': ` +
          `A ${existing.kind.toLowerCase()} with the same name already exists`,
      );
    }
    this.sourcesByName.set(source.name, source);
    if (readsFrom !== undefined) this.readsFrom.set(source.name, readsFrom);
  }

  removeSource(name: string): DataSource | undefined {
    const source = this.sourcesByName.get(name);
    this.sourcesByName.delete(name);
    this.readsFrom.delete(name);
    return source;
  }

  /**
   * ksqlDB's hint for a name that only differs in case from an existing source:
   * `\nDid you mean INPUT? Hint: try removing double quotes from the source name.`
   */
  alternativesHint(name: string, kind?: 'STREAM' | 'TABLE'): string {
    const matches = this.sources(kind).filter((s) => s.name.toUpperCase() === name.toUpperCase());
    if (matches.length === 0) return '';
    if (matches.length > 1) {
      const listed = matches.map((s, i) => {
        const last = i === matches.length - 1;
        const beforeLast = i === matches.length - 2;
        const punctuation = last ? '? ' : beforeLast ? (i === 0 ? ' or ' : ', or ') : ', ';
        return `"${s.name}" (${s.kind})${punctuation}`;
      });
      return `\nDid you mean ${listed.join('')}Hint: wrap the source name in double quotes to make it case-sensitive.`;
    }
    const match = matches[0].name;
    return match !== match.toUpperCase()
      ? `\nDid you mean "${match}"? Hint: wrap the source name in double quotes to make it case-sensitive.`
      : `\nDid you mean ${match}? Hint: try removing double quotes from the source name.`;
  }

  // ------------------------------------------------------------ custom types

  type(name: string): SqlType | undefined {
    return this.typesByName.get(name.toUpperCase());
  }

  types(): [string, SqlType][] {
    return [...this.typesByName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** False when the name is taken (then nothing changes). */
  registerType(name: string, type: SqlType): boolean {
    const key = name.toUpperCase();
    if (this.typesByName.has(key)) return false;
    this.typesByName.set(key, type);
    return true;
  }

  dropType(name: string): boolean {
    return this.typesByName.delete(name.toUpperCase());
  }

  // ------------------------------------------------------------ queries

  query(id: string): QueryEntry | undefined {
    return this.queriesById.get(id.toUpperCase());
  }

  /** Persistent queries in the order they were created. */
  queries(): QueryEntry[] {
    return [...this.queriesById.values()];
  }

  addQuery(entry: QueryEntry): void {
    if (this.queriesById.has(entry.id)) throw new CatalogError(`Query ID '${entry.id}' already exists.`);
    this.queriesById.set(entry.id, entry);
  }

  removeQuery(id: string): QueryEntry | undefined {
    const entry = this.queriesById.get(id.toUpperCase());
    if (entry !== undefined) this.queriesById.delete(entry.id);
    return entry;
  }

  /** The CSAS/CTAS query that made this source, if it still runs. */
  createAsQuery(sourceName: string): QueryEntry | undefined {
    return this.queries().find((q) => q.kind === 'CREATE_AS' && q.sinkName === sourceName);
  }

  queriesReading(sourceName: string): QueryEntry[] {
    return this.queries().filter((q) => q.sourceNames.includes(sourceName));
  }

  queriesWriting(sourceName: string): QueryEntry[] {
    return this.queries().filter((q) => q.sinkName === sourceName);
  }

  /** Sources made by CREATE ... AS SELECT over this source (ksqlDB's DROP constraints). */
  sourcesReading(sourceName: string): string[] {
    return [...this.readsFrom.entries()]
      .filter(([sink, sources]) => sink !== sourceName && sources.includes(sourceName))
      .map(([sink]) => sink)
      .sort();
  }
}
