import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';

/** PGlite in a data folder (or in memory without one). One connection, so calls are serialised by PGlite. */
export async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const toResult = <T>(result: { rows: unknown[]; affectedRows?: number }) => ({
    rows: result.rows as T[],
    // PGlite reports affectedRows 0 for a SELECT; pg counts returned rows there, so take the larger.
    rowCount: Math.max(result.rows.length, result.affectedRows ?? 0),
  });
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      return toResult<T>(await db.query(sql, params as unknown[] | undefined));
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async transaction(fn) {
      return db.transaction(async (tx) => {
        const wrapped: Queryable = {
          async query<T>(sql: string, params?: readonly unknown[]) {
            return toResult<T>(await tx.query(sql, params as unknown[] | undefined));
          },
        };
        return fn(wrapped);
      });
    },
    async listen(channel, onPayload) {
      const unsubscribe = await db.listen(channel, onPayload);
      return unsubscribe;
    },
    async notify(channel, payload) {
      await db.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await db.close();
    },
  };
}
