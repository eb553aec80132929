import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import "./chunk-VTIIOCZ3.js";

// server/storage/pglite-database.ts
import { PGlite } from "@electric-sql/pglite";
async function openPglite(dataDir) {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const toResult = (result) => ({
    rows: result.rows,
    // PGlite reports affectedRows 0 for a SELECT; pg counts returned rows there, so take the larger.
    rowCount: Math.max(result.rows.length, result.affectedRows ?? 0)
  });
  return {
    kind: "pglite",
    async query(sql, params) {
      return toResult(await db.query(sql, params));
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async transaction(fn) {
      return db.transaction(async (tx) => {
        const wrapped = {
          async query(sql, params) {
            return toResult(await tx.query(sql, params));
          }
        };
        return fn(wrapped);
      });
    },
    async listen(channel, onPayload) {
      const unsubscribe = await db.listen(channel, onPayload);
      return unsubscribe;
    },
    async notify(channel, payload) {
      await db.query("select pg_notify($1, $2)", [channel, payload]);
    },
    async close() {
      await db.close();
    }
  };
}
export {
  openPglite
};
