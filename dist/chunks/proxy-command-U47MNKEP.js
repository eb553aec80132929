import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  PROXY_PG_USAGE,
  parseProxyPgArgs
} from "./chunk-3KWZMMHZ.js";
import "./chunk-VAKW74VB.js";
import {
  loadPolicyDir
} from "./chunk-IZR5YBT4.js";
import {
  layer
} from "./chunk-KIAGOMB5.js";
import {
  startPgProxy
} from "./chunk-6XYAZHLK.js";
import {
  createMasker
} from "./chunk-P6WCDXRM.js";
import "./chunk-LILV5R5L.js";
import {
  decideSql
} from "./chunk-USEWQYAI.js";
import "./chunk-RUVNZ2BJ.js";
import {
  createEventChain
} from "./chunk-V4X7F4OT.js";
import "./chunk-CJTZJTWV.js";
import "./chunk-PPEQLLQ3.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// pg-proxy/proxy-command.ts
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";

// pg-proxy/default-judge.ts
function defaultJudge(stmt) {
  if ((stmt.class === "update" || stmt.class === "delete") && stmt.withoutWhere) {
    return {
      action: "block",
      rule: "built-in sql[0]",
      reason: `${stmt.class.toUpperCase()} without WHERE changes every row; add a WHERE clause`
    };
  }
  if (stmt.class === "drop" || stmt.class === "truncate" || stmt.class === "alter") {
    return {
      action: "require-approval",
      rule: "built-in sql[1]",
      reason: `${stmt.class.toUpperCase()} needs a reviewer`
    };
  }
  return { action: "allow" };
}

// pg-proxy/record-file.ts
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
var RECORD_FILE = "pg-proxy-events.jsonl";
var FLUSH_MS = 20;
var FLUSH_BYTES = 256 * 1024;
async function openRecordFile(dir, onFailure) {
  await mkdir(dir, { recursive: true });
  const path = join(dir, RECORD_FILE);
  const chain = createEventChain();
  const stream = createWriteStream(path, { flags: "wx" });
  await new Promise((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once(
      "error",
      (error) => reject(
        new GuardError(
          "RECORDING_FAILED",
          `guard pg proxy: cannot create ${path} (${error.message}); choose an empty record folder`,
          {
            cause: error
          }
        )
      )
    );
  });
  let failure;
  stream.on("error", (error) => {
    if (failure !== void 0) return;
    failure = new GuardError(
      "RECORDING_FAILED",
      `guard pg proxy: writing ${path} failed (${error.message})`,
      { cause: error }
    );
    onFailure(failure);
  });
  let queued = [];
  let lines = [];
  let lineBytes = 0;
  let timer;
  const chainQueued = () => {
    const batch = queued;
    queued = [];
    for (const [event, atMs] of batch) {
      const line = chain.append(event, atMs);
      lines.push(line);
      lineBytes += line.length;
    }
    if (lineBytes >= FLUSH_BYTES) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  };
  const flush = () => {
    clearTimeout(timer);
    timer = void 0;
    if (lines.length === 0 || failure !== void 0) return;
    stream.write(lines.join(""));
    lines = [];
    lineBytes = 0;
  };
  return {
    path,
    append: (event, atMs) => {
      queued.push([event, atMs]);
      if (queued.length === 1) setImmediate(chainQueued);
    },
    close: async () => {
      chainQueued();
      flush();
      await new Promise((resolve) => stream.end(() => resolve()));
      if (failure !== void 0) throw failure;
    }
  };
}

// pg-proxy/proxy-command.ts
async function runProxyPgCommand(argv, io, stop) {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(PROXY_PG_USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  let args;
  try {
    args = parseProxyPgArgs(argv, env);
  } catch (error) {
    io.stderr.write(`${describeError(error)}
`);
    return 2;
  }
  const { caFile, ...parsed } = args.upstream;
  const upstream = caFile !== void 0 && parsed.ssl !== void 0 ? { ...parsed, ssl: { ...parsed.ssl, ca: await readFile(caFile, "utf8") } } : parsed;
  const policy = args.policyDir !== void 0 ? layer((await loadPolicyDir(args.policyDir)).policies) : void 0;
  const judge = policy !== void 0 ? policyJudge(policy, upstream.database) : defaultJudge;
  const masker = createMasker({
    ...policy !== void 0 ? { packs: policy.masking.packs, rules: policy.masking.rules } : {},
    ...upstream.password !== void 0 ? { secrets: [upstream.password] } : {}
  });
  const failed = new AbortController();
  const record = args.recordDir !== void 0 ? await openRecordFile(args.recordDir, (error) => failed.abort(error)) : void 0;
  const user = args.clientUser ?? `guard_${randomBytes(4).toString("hex")}`;
  const password = env.GUARD_PROXY_PASSWORD ?? randomBytes(18).toString("base64url");
  const proxy = await startPgProxy({
    listen: args.listen,
    upstream,
    clientAuth: { user, password },
    judge,
    maskColumns: [...policy?.masking.columns ?? [], ...args.maskColumns],
    maskValue: (text) => masker.maskText(text),
    ...record !== void 0 ? { onEvent: (event, atMs) => record.append(event, atMs) } : {}
  });
  const url = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${proxy.host}:${proxy.port}/${encodeURIComponent(upstream.database)}`;
  io.stdout.write(
    `guard proxy pg: listening on ${proxy.host}:${proxy.port}, upstream ${upstream.database} at ${upstream.host}:${upstream.port}${policy !== void 0 ? `, policy ${policy.name}` : ", built-in SQL rules"}${record !== void 0 ? `, recording to ${record.path}` : ""}
PGHOST=${proxy.host}
PGPORT=${proxy.port}
PGUSER=${user}
PGPASSWORD=${password}
PGDATABASE=${upstream.database}
DATABASE_URL=${url}
`
  );
  await new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    stop?.addEventListener("abort", done, { once: true });
    failed.signal.addEventListener("abort", done, { once: true });
  });
  const stats = proxy.stats();
  await proxy.close();
  await record?.close().catch((error) => failed.abort(error));
  if (failed.signal.aborted) {
    io.stderr.write(`${describeError(failed.signal.reason)}; the proxy stopped so nothing runs unrecorded
`);
    return 1;
  }
  io.stderr.write(
    `guard proxy pg: stopped after ${stats.connections.total} connection(s), ${stats.statements} statement(s), ${stats.blocked} refused, ${stats.maskedValues} value(s) masked
`
  );
  return 0;
}
function policyJudge(policy, target) {
  return (stmt) => {
    const decision = decideSql(policy, { ...stmt, tables: [...stmt.tables], target });
    return {
      action: decision.action,
      reason: decision.reason,
      ...decision.rule !== void 0 ? { rule: decision.rule } : {}
    };
  };
}
export {
  RECORD_FILE,
  runProxyPgCommand
};
