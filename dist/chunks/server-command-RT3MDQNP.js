import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  addReviewer,
  listDatabases,
  registerDatabase,
  removeDatabase,
  startServer
} from "./chunk-OKIRXRDC.js";
import {
  ensureKeySet,
  publicKeys,
  revokeSession,
  rotateKeys
} from "./chunk-ILLGFAFE.js";
import {
  parseServerConfig,
  withServerDatabase
} from "./chunk-NMIQQXHS.js";
import {
  loadServerSecret,
  secretBox
} from "./chunk-UGHC5I7I.js";
import "./chunk-7VDHGFYH.js";
import "./chunk-SGP4MHZA.js";
import "./chunk-74IGE3EL.js";
import {
  parseUpstreamUrl
} from "./chunk-3KWZMMHZ.js";
import "./chunk-VAKW74VB.js";
import "./chunk-IZR5YBT4.js";
import "./chunk-E43K4DWN.js";
import "./chunk-QV6IKAJV.js";
import "./chunk-JSM7MKT6.js";
import "./chunk-QYAVXIQQ.js";
import "./chunk-KIAGOMB5.js";
import "./chunk-A5XFMG5Z.js";
import "./chunk-LROATGUR.js";
import "./chunk-UASNS3YF.js";
import "./chunk-P6WCDXRM.js";
import "./chunk-USEWQYAI.js";
import "./chunk-RLLPX6DD.js";
import "./chunk-RUVNZ2BJ.js";
import "./chunk-CJTZJTWV.js";
import "./chunk-PPEQLLQ3.js";
import "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// server/server-command.ts
import { readFile } from "node:fs/promises";
var SERVER_HELP = `guard server - the approval server

  guard server [options]            run it
  guard server keys [--rotate]      print the public signing keys (rotate first with --rotate)
  guard server revoke SESSION_ID    revoke a session's credential now
  guard server db add|list|remove   databases for \`shell: guard --db NAME {0}\` steps (credentials sealed)
  guard server ssh add|list|remove  SSH targets for \`shell: guard --ssh NAME {0}\` steps (keys sealed, host keys pinned)
  guard reviewer add LOGIN          register a reviewer; prints their credential once

Options (flag, or environment variable):
  --host HOST            GUARD_HOST          address to listen on (default 127.0.0.1)
  --port N               PORT                port (default 8080; 0 = any free port)
  --public-url URL       GUARD_PUBLIC_URL    URL runners and reviewers use to reach the server
  --database-url URL     DATABASE_URL        PostgreSQL server; without it, embedded PGlite is used
  --data-dir DIR         GUARD_DATA_DIR      PGlite data folder (default .guard-data)
  --issuer URL[,URL]     GUARD_ISSUERS       trusted OIDC issuers (default GitHub's)
  --audience AUD         GUARD_AUDIENCE      expected token audience (default guard)
  --policy DIR           GUARD_POLICY_DIR    policy folder (no folder: every job is refused)
  --session-ttl SEC      GUARD_SESSION_TTL   idle lifetime of a session credential, refreshed by use (default 3600)
  --session-max SEC      GUARD_SESSION_MAX   longest a session lives (default 86400)
  --ledger-retention-days N                  drop ledger rows older than N days (recorded); default: keep
                         GUARD_SECRET_KEY    32 bytes base64; seals stored keys (required with DATABASE_URL)
                         GUARD_AUDIT_TOKEN   bearer token for GET /v1/audit/export (off without it)
  --max-wait SEC         GUARD_MAX_WAIT      longest held wait request (default 25)
`;
async function runServerCommand(argv, io) {
  if (argv[0] === "keys") return runKeysCommand(argv.slice(1), io);
  if (argv[0] === "revoke") return runRevokeCommand(argv.slice(1), io);
  if (argv[0] === "db") return runDatabaseCommand(argv.slice(1), io);
  if (argv[0] === "ssh") return (await import("./ssh-command-OIETGCAQ.js")).runSshTargetCommand(argv.slice(1), io);
  if (argv.includes("--help")) {
    io.stdout.write(SERVER_HELP);
    return 0;
  }
  const config = parseServerConfig(argv, io.env);
  if (!config.databaseUrl && !config.dataDir) config.dataDir = ".guard-data";
  const server = await startServer(config);
  await new Promise((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  io.stdout.write("guard server: shutting down\n");
  await server.close();
  return 0;
}
async function runKeysCommand(argv, io) {
  const rotate = argv.includes("--rotate");
  const rest = argv.filter((arg) => arg !== "--rotate");
  return withServerDatabase(rest, io.env, async (db, config) => {
    const box = secretBox(await loadServerSecret(config));
    const set = rotate ? await rotateKeys(db, box) : await ensureKeySet(db, box);
    if (rotate)
      io.stderr.write(
        `guard server: new signing key ${set.active.keyId}; earlier keys stay published for verification
`
      );
    io.stdout.write(`${JSON.stringify(publicKeys(set), null, 2)}
`);
    return 0;
  });
}
async function runRevokeCommand(argv, io) {
  const [id, ...rest] = argv;
  if (!id || id.startsWith("--")) {
    io.stderr.write("usage: guard server revoke SESSION_ID [--data-dir DIR | --database-url URL]\n");
    return 2;
  }
  return withServerDatabase(rest, io.env, async (db) => {
    if (!await revokeSession(db, id, "revoked with guard server revoke")) {
      io.stderr.write(`guard server: no open session ${id}
`);
      return 1;
    }
    io.stdout.write(`session ${id} revoked
`);
    return 0;
  });
}
var DB_USAGE = `usage:
  guard server db add NAME [--url postgresql://USER:PASSWORD@HOST:PORT/DB?sslmode=verify-full&sslrootcert=CA.pem]
      registers a database for \`shell: guard --db NAME {0}\` steps; without --url the URL is read from
      GUARD_DB_URL, which keeps the password out of shell history and the process list
  guard server db list
  guard server db remove NAME
`;
async function runDatabaseCommand(argv, io) {
  const [verb, ...rest] = argv;
  if (verb === "list") {
    return withServerDatabase(rest, io.env, async (db, config) => {
      const rows = await listDatabases(db, secretBox(await loadServerSecret(config)));
      if (rows.length === 0) io.stdout.write("no databases registered\n");
      for (const row of rows)
        io.stdout.write(`${row.name}	${row.user}@${row.host}:${row.port}/${row.database}	tls=${row.tls}
`);
      return 0;
    });
  }
  const [name, ...options] = rest;
  if (verb !== "add" && verb !== "remove" || !name || name.startsWith("--")) {
    io.stderr.write(DB_USAGE);
    return 2;
  }
  if (verb === "remove") {
    return withServerDatabase(options, io.env, async (db) => {
      const removed = await removeDatabase(db, name);
      io.stdout.write(removed ? `database ${name} removed
` : `no database ${name}
`);
      return removed ? 0 : 1;
    });
  }
  const urlAt = options.indexOf("--url");
  const url = urlAt >= 0 ? options[urlAt + 1] : io.env.GUARD_DB_URL;
  const serverOptions = urlAt >= 0 ? [...options.slice(0, urlAt), ...options.slice(urlAt + 2)] : options;
  if (!url) {
    io.stderr.write(`guard server db add: no connection URL; pass --url or set GUARD_DB_URL
${DB_USAGE}`);
    return 2;
  }
  const { caFile, ...connection } = parseUpstreamUrl(url, {});
  const ca = caFile ? await readFile(caFile, "utf8") : void 0;
  const upstream = ca && connection.ssl ? { ...connection, ssl: { ...connection.ssl, ca } } : connection;
  return withServerDatabase(serverOptions, io.env, async (db, config) => {
    await registerDatabase(db, secretBox(await loadServerSecret(config)), name, upstream);
    io.stdout.write(
      `database ${name} registered (${upstream.user}@${upstream.host}:${upstream.port}/${upstream.database}, tls=${upstream.ssl?.mode ?? "disable"})
`
    );
    return 0;
  });
}
async function runReviewerCommand(argv, io) {
  const [verb, login, ...rest] = argv;
  if (verb !== "add" || !login) {
    io.stderr.write("usage: guard reviewer add LOGIN [--data-dir DIR | --database-url URL]\n");
    return 2;
  }
  return withServerDatabase(rest, io.env, async (db) => {
    const credential = await addReviewer(db, login);
    io.stdout.write(`${credential}
`);
    io.stderr.write(
      `reviewer ${login} registered; give them this credential (shown once) as GUARD_REVIEWER_TOKEN
`
    );
    return 0;
  });
}
export {
  runReviewerCommand,
  runServerCommand
};
