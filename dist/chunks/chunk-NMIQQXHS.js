import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GITHUB_ISSUER,
  migrate,
  openDatabase
} from "./chunk-7VDHGFYH.js";
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// server/config.ts
var DEFAULT_AUDIENCE = "guard";
var SERVER_FLAGS = [
  "host",
  "port",
  "public-url",
  "database-url",
  "data-dir",
  "issuer",
  "audience",
  "policy",
  "session-ttl",
  "session-max",
  "max-wait",
  "ledger-retention-days"
];
function parseServerConfig(argv, env) {
  const flags = /* @__PURE__ */ new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1])
      throw new GuardError(
        "BAD_INPUT",
        `guard server: unexpected argument '${arg}'; see 'guard server --help'`
      );
    const value = match[2] ?? argv[++i];
    if (value === void 0) throw new GuardError("BAD_INPUT", `guard server: --${match[1]} needs a value`);
    flags.set(match[1], value);
  }
  const known = new Set(SERVER_FLAGS);
  for (const name of flags.keys()) {
    if (!known.has(name))
      throw new GuardError(
        "BAD_INPUT",
        `guard server: unknown option --${name}; known: ${[...known].map((k) => `--${k}`).join(", ")}`
      );
  }
  const pick = (flag, envName) => flags.get(flag) ?? env[envName] ?? void 0;
  const port = Number(pick("port", "PORT") ?? "8080");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GuardError("BAD_INPUT", `guard server: --port must be 0-65535, got '${pick("port", "PORT")}'`);
  }
  const issuers = (pick("issuer", "GUARD_ISSUERS") ?? GITHUB_ISSUER).split(",").map((issuer) => issuer.trim()).filter(Boolean);
  for (const issuer of issuers) {
    let url;
    try {
      url = new URL(issuer);
    } catch {
      throw new GuardError("BAD_INPUT", `guard server: issuer '${issuer}' is not a URL`);
    }
    const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
    if (url.protocol !== "https:" && !loopback) {
      throw new GuardError(
        "BAD_INPUT",
        `guard server: issuer '${issuer}' must use https (plain http is accepted only on loopback, for local stand-ins)`
      );
    }
  }
  const seconds = (flag, envName, fallback) => {
    const raw = pick(flag, envName);
    if (raw === void 0) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new GuardError("BAD_INPUT", `guard server: --${flag} must be a positive number of seconds`);
    return value;
  };
  const config = {
    host: pick("host", "GUARD_HOST") ?? "127.0.0.1",
    port,
    issuers,
    audience: pick("audience", "GUARD_AUDIENCE") ?? DEFAULT_AUDIENCE,
    sessionTtlSec: seconds("session-ttl", "GUARD_SESSION_TTL", 3600),
    sessionMaxSec: seconds("session-max", "GUARD_SESSION_MAX", 24 * 3600),
    maxWaitSec: seconds("max-wait", "GUARD_MAX_WAIT", 25)
  };
  const optional = {
    publicUrl: pick("public-url", "GUARD_PUBLIC_URL"),
    databaseUrl: pick("database-url", "DATABASE_URL"),
    dataDir: pick("data-dir", "GUARD_DATA_DIR"),
    policyDir: pick("policy", "GUARD_POLICY_DIR"),
    // Secrets come from the environment only: a flag would show in `ps`.
    secretKey: env.GUARD_SECRET_KEY,
    auditToken: env.GUARD_AUDIT_TOKEN
  };
  const retention = pick("ledger-retention-days", "GUARD_LEDGER_RETENTION_DAYS");
  if (retention !== void 0)
    config.ledgerRetentionDays = seconds("ledger-retention-days", "GUARD_LEDGER_RETENTION_DAYS", 0);
  for (const [key, value] of Object.entries(optional)) if (value) Object.assign(config, { [key]: value });
  return config;
}

// server/command-database.ts
async function withServerDatabase(argv, env, fn) {
  const config = parseServerConfig(argv, env);
  if (!config.databaseUrl && !config.dataDir) config.dataDir = ".guard-data";
  const db = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir ?? ".guard-data" }
  );
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

export {
  parseServerConfig,
  withServerDatabase
};
