import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// pg-proxy/proxy-args.ts
import { isIP } from "node:net";
var PROXY_PG_USAGE = `Usage: guard proxy pg --listen [HOST:]PORT --upstream URL [--policy DIR] [--record DIR]
                      [--mask-columns TABLE.COLUMN,...] [--client-user NAME]

  --listen        loopback address to listen on, e.g. 127.0.0.1:6432 (port 0 picks a free one)
  --upstream      postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|require|verify-full&sslrootcert=CA.pem]
                  (PGPASSWORD is used when the URL has no password)
  --policy        policy folder: its sql rules judge statements, its masking settings mask results
                  (default: block UPDATE/DELETE without WHERE, refuse DROP/TRUNCATE/ALTER: no approver here)
  --record        folder for pg-proxy-events.jsonl, a hash-chained record of every statement
  --mask-columns  extra result columns to mask (globs), added to the policy's masking.columns
  --client-user   the user name scripts log in with (default: a random one); the password is random,
                  or GUARD_PROXY_PASSWORD when set. Both are printed at start as PG* variables.
`;
function usage(message) {
  return new GuardError("BAD_INPUT", `guard proxy pg: ${message}

${PROXY_PG_USAGE}`);
}
function parseProxyPgArgs(argv, env) {
  const values = /* @__PURE__ */ new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const [name, inline] = arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, void 0];
    if (!["--listen", "--upstream", "--policy", "--record", "--mask-columns", "--client-user"].includes(name)) {
      throw usage(`unknown argument '${arg}'`);
    }
    const value = inline ?? argv[++i];
    if (value === void 0 || value === "") throw usage(`${name} needs a value`);
    values.set(name, value);
  }
  const listenText = values.get("--listen");
  const upstreamText = values.get("--upstream");
  if (listenText === void 0) throw usage("--listen is required");
  if (upstreamText === void 0) throw usage("--upstream is required");
  const maskColumns = (values.get("--mask-columns") ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  return {
    listen: parseListen(listenText),
    upstream: parseUpstreamUrl(upstreamText, env),
    ...values.has("--policy") ? { policyDir: values.get("--policy") } : {},
    ...values.has("--record") ? { recordDir: values.get("--record") } : {},
    maskColumns,
    ...values.has("--client-user") ? { clientUser: values.get("--client-user") } : {}
  };
}
function parseListen(text) {
  const colon = text.lastIndexOf(":");
  const host = colon < 0 ? "127.0.0.1" : text.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(colon < 0 ? text : text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usage(`--listen port '${text}' is not a port number`);
  const loopback = host === "localhost" || host === "::1" || isIP(host) === 4 && host.startsWith("127.");
  if (!loopback) {
    throw usage(
      `--listen ${host} is not a loopback address; the proxy serves scripts on this machine only (use 127.0.0.1)`
    );
  }
  return { host, port };
}
function parseUpstreamUrl(text, env) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw usage("--upstream is not a URL of the form postgresql://USER[:PASSWORD]@HOST[:PORT]/DB");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw usage(`--upstream must be a postgresql:// URL, not ${url.protocol}//`);
  }
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (user === "" || database === "" || url.hostname === "") {
    throw usage("--upstream needs a user, a host and a database: postgresql://USER@HOST:PORT/DB");
  }
  const password = url.password !== "" ? decodeURIComponent(url.password) : env.PGPASSWORD;
  const sslmode = url.searchParams.get("sslmode") ?? "disable";
  if (sslmode !== "disable" && sslmode !== "require" && sslmode !== "verify-full") {
    throw usage(
      `sslmode=${sslmode} is not supported: use disable, require (encrypted, server not verified) or verify-full (with sslrootcert)`
    );
  }
  const ca = url.searchParams.get("sslrootcert") ?? void 0;
  if (sslmode === "verify-full" && ca === void 0) {
    throw usage("sslmode=verify-full needs sslrootcert=PATH (the CA that signed the server certificate)");
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 5432 : Number(url.port),
    user,
    ...password !== void 0 ? { password } : {},
    database,
    ...sslmode !== "disable" ? { ssl: { mode: sslmode } } : {},
    ...ca !== void 0 ? { caFile: ca } : {}
  };
}

export {
  PROXY_PG_USAGE,
  parseProxyPgArgs,
  parseUpstreamUrl
};
