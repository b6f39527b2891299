/** The one small interface both engines implement: the same SQL runs on each. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface QueryOptions {
  /** Name for a server-side prepared statement (real PostgreSQL only; ignored by the embedded engine). */
  name?: string;
  /**
   * 'tiles': run on the connections kept for vector tiles (real PostgreSQL only): parallel
   * workers off and more work_mem, set once per connection instead of per tile.
   */
  purpose?: 'tiles';
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export type Engine = 'embedded' | 'postgres';

export interface ListenHandlers {
  onMessage: (payload: string) => void;
  onLost?: () => void;
  onRestored?: () => void;
}

export interface Db extends Queryable {
  readonly engine: Engine;
  /**
   * Calls onMessage for each NOTIFY on the channel (after the notifying transaction commits).
   * If the listening connection drops, notifications may be missed: onLost is called, the engine
   * reconnects by itself and calls onRestored. Returns a function that stops listening.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  /** Runs fn inside BEGIN … COMMIT; any throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Postgres type OIDs whose default parsing differs between pg and PGlite. */
export const OID = { int8: 20, date: 1082 } as const;
