// The one storage interface the server uses. PostgreSQL is the system of record; PGlite (real Postgres in
// WebAssembly) is the embedded default, so both run the same SQL and the same migrations.

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; NOTIFY from any replica sharing the database reaches every listener. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://... to use a PostgreSQL server; otherwise PGlite in `dataDir` (or in memory). */
  databaseUrl?: string;
  dataDir?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // Loaded on demand so the action bundle, which never opens a database, does not carry the drivers.
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres-database.js');
    return openPostgres(options.databaseUrl);
  }
  const { openPglite } = await import('./pglite-database.js');
  return openPglite(options.dataDir);
}
