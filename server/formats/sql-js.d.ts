/** The part of sql.js (SQLite compiled to WebAssembly) the GeoPackage reader and writer use. */
declare module 'sql.js' {
  export interface Statement {
    bind(values?: unknown[]): boolean;
    step(): boolean;
    getAsObject(): Record<string, unknown>;
    run(values?: unknown[]): void;
    free(): boolean;
  }
  export interface Database {
    prepare(sql: string): Statement;
    run(sql: string, params?: unknown[]): Database;
    exec(sql: string): unknown;
    export(): Uint8Array;
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  const init: (config?: object) => Promise<SqlJsStatic>;
  export default init;
}
