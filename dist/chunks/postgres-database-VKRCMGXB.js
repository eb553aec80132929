import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GuardError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// server/storage/postgres-database.ts
import pg from "pg";
async function openPostgres(url) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => {
  });
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw new GuardError(
      "CONFIG_INVALID",
      `guard: cannot connect to DATABASE_URL (${redact(url)}); check that PostgreSQL is running and the URL is right`,
      { cause: error }
    );
  }
  let listener;
  const handlers = /* @__PURE__ */ new Map();
  async function listenClient() {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on("notification", (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? "");
    });
    client.on("error", () => {
    });
    listener = client;
    return client;
  }
  const query = async (sql, params) => {
    const result = await pool.query(sql, params);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: "postgres",
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const tx = {
          async query(sql, params) {
            const result = await client.query(sql, params);
            return { rows: result.rows, rowCount: result.rowCount ?? 0 };
          }
        };
        const value = await fn(tx);
        await client.query("commit");
        return value;
      } catch (error) {
        await client.query("rollback").catch(() => {
        });
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = await listenClient();
      let set = handlers.get(channel);
      if (!set) {
        set = /* @__PURE__ */ new Set();
        handlers.set(channel, set);
        await client.query(`listen ${quoteIdent(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async notify(channel, payload) {
      await pool.query("select pg_notify($1, $2)", [channel, payload]);
    },
    async close() {
      await listener?.end().catch(() => {
      });
      await pool.end();
    }
  };
}
function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
export {
  openPostgres
};
