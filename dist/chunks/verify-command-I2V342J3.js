import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  formatVerification,
  loadTrustedKeys,
  verifyBundle
} from "./chunk-5OTVPEAJ.js";
import {
  Octokit
} from "./chunk-SGP4MHZA.js";
import {
  parseLedgerExport,
  verifyLedger
} from "./chunk-74IGE3EL.js";
import {
  readZip
} from "./chunk-RKGZ6QM4.js";
import "./chunk-JSM7MKT6.js";
import "./chunk-QYAVXIQQ.js";
import "./chunk-A5XFMG5Z.js";
import "./chunk-DOSGDTZ2.js";
import "./chunk-V4X7F4OT.js";
import "./chunk-CJTZJTWV.js";
import "./chunk-PPEQLLQ3.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// audit/verify-command.ts
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

// audit/pull-artifacts.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
async function pullAuditArtifacts(options) {
  const [owner, repo, extra] = options.repo.split("/");
  if (!owner || !repo || extra !== void 0)
    throw new GuardError("BAD_INPUT", `guard: --repo must be OWNER/REPO, not ${options.repo}`);
  if (!/^\d+$/.test(options.runId))
    throw new GuardError("BAD_INPUT", `guard: --run must be a numeric run id, not ${options.runId}`);
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    retry: { enabled: false },
    throttle: { enabled: false }
  });
  const prefix = `guard-audit-${options.runId}-`;
  let artifacts;
  try {
    artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
      owner,
      repo,
      run_id: Number(options.runId),
      per_page: 100
    });
  } catch (error) {
    throw new GuardError(
      "SERVER_ERROR",
      `guard: cannot list the artifacts of ${options.repo} run ${options.runId}: ${describeError(error)}; check the run id and that the token may read actions`,
      { cause: error }
    );
  }
  const ours = artifacts.filter(
    (a) => a.name.startsWith(prefix) && (options.job === void 0 || a.name.endsWith(`-${options.job.replace(/[^A-Za-z0-9._-]/g, "_")}`))
  );
  const result = { pulled: [], expired: [] };
  for (const artifact of ours) {
    if (artifact.expired) {
      result.expired.push(artifact.name);
      continue;
    }
    let data;
    try {
      const response = await octokit.rest.actions.downloadArtifact({
        owner,
        repo,
        artifact_id: artifact.id,
        archive_format: "zip"
      });
      data = response.data;
    } catch (error) {
      throw new GuardError(
        "SERVER_ERROR",
        `guard: cannot download artifact ${artifact.name} (${artifact.id}): ${describeError(error)}`,
        { cause: error }
      );
    }
    const zip = Buffer.from(data);
    const zipPath = join(options.outDir, `${artifact.name}.zip`);
    const dir = join(options.outDir, artifact.name);
    await mkdir(options.outDir, { recursive: true });
    await writeFile(zipPath, zip);
    for (const [name, bytes] of readZip(zip, zipPath)) {
      const target = join(dir, name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    result.pulled.push({ id: artifact.id, name: artifact.name, zipPath, dir });
  }
  return result;
}

// audit/verify-command.ts
var USAGE = `Usage:
  guard audit verify DIR|ZIP... [--key FILE]... [--server URL] [--json]
      check every digest, every hash chain and the server's signature; fully offline with --key
  guard audit verify-ledger FILE|--server URL [--key FILE]... [--since ISO] [--token T]
      check the server's ledger export (JSON lines) for altered, deleted or truncated rows
  guard audit pull --repo OWNER/REPO --run ID [--job NAME] [--out DIR] [--token T] [--key FILE]... [--server URL]
      download a run's guard audit artifacts (GITHUB_API_URL, GITHUB_TOKEN), verify them, print a summary
`;
var KEY_OPTIONS = {
  key: { type: "string", multiple: true },
  server: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" }
};
async function runAuditCommand(argv, io) {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case "verify":
        return await verifyCommand(rest, io);
      case "verify-ledger":
        return await verifyLedgerCommand(rest, io);
      case "pull":
        return await pullCommand(rest, io);
      case "--help":
      case "-h":
      case "help":
        io.stdout.write(USAGE);
        return 0;
      default:
        io.stderr.write(
          `guard audit: unknown subcommand ${sub === void 0 ? "(none)" : JSON.stringify(sub)}
${USAGE}`
        );
        return 2;
    }
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`guard audit ${sub}: ${error.message}
${USAGE}`);
      return 2;
    }
    io.stderr.write(`${describeError(error)}
`);
    return error instanceof GuardError && error.code === "BAD_INPUT" ? 2 : 1;
  }
}
async function verifyCommand(argv, io) {
  const { values, positionals } = parseArgs({ args: argv, options: KEY_OPTIONS, allowPositionals: true });
  if (values.help || positionals.length === 0) {
    io.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const keys = await loadTrustedKeys(values.key ?? [], values.server);
  if (values.server !== void 0 && values.key === void 0) {
    io.stderr.write(
      `guard: trusting the keys ${values.server} serves now; for offline proof pin them with --key (guard server keys > keys.json)
`
    );
  }
  let allOk = true;
  const results = [];
  for (const path of positionals) {
    const result = await verifyBundle(path, { keys });
    allOk &&= result.ok;
    results.push({ path, ...result });
    if (!values.json) io.stdout.write(formatVerification(path, result));
  }
  if (values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}
`);
  return allOk ? 0 : 1;
}
async function verifyLedgerCommand(argv, io) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...KEY_OPTIONS,
      since: { type: "string" },
      repository: { type: "string" },
      token: { type: "string" }
    },
    allowPositionals: true
  });
  if (values.repository !== void 0) {
    throw new GuardError(
      "BAD_INPUT",
      "guard: verify-ledger needs the whole chain; --repository filters rows out, so it is for SIEM exports only"
    );
  }
  const file = positionals[0];
  if (file === void 0 && values.server === void 0) {
    io.stdout.write(USAGE);
    return 2;
  }
  const keys = await loadTrustedKeys(values.key ?? [], values.key === void 0 ? values.server : void 0);
  const text = file !== void 0 ? await readFile(file, "utf8") : await fetchExport(values.server, values.since, values.token ?? io.env.GUARD_AUDIT_TOKEN);
  const { rows, checkpoints } = parseLedgerExport(text);
  const result = verifyLedger(rows, checkpoints, keys, { partial: values.since !== void 0 });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}
`);
  } else {
    const range = rows.length === 0 ? "no rows" : `rows ${result.firstSeq}-${result.lastSeq}`;
    io.stdout.write(
      `${result.ok ? "VALID" : "INVALID"}  ledger: ${range}, ${checkpoints.length} checkpoint(s), last verified checkpoint at row ${result.checkpointSeq ?? "-"}
`
    );
    for (const p of result.problems) io.stdout.write(`    ${p.message}
`);
    if (result.ok && result.checkpointSeq !== result.lastSeq && rows.length > 0) {
      io.stdout.write(
        `  note: rows after ${result.checkpointSeq ?? 0} are not yet covered by a signed checkpoint
`
      );
    }
  }
  return result.ok ? 0 : 1;
}
async function fetchExport(server, since, token) {
  const url = new URL("/v1/audit/export", server);
  if (since !== void 0) url.searchParams.set("since", since);
  let response;
  try {
    response = await fetch(url, { headers: token === void 0 ? {} : { authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new GuardError("SERVER_UNREACHABLE", `guard: cannot fetch ${url.href}: ${describeError(error)}`, {
      cause: error
    });
  }
  if (!response.ok)
    throw new GuardError(
      "SERVER_ERROR",
      `guard: ${url.href} answered ${response.status}; an export needs an auditor token (--token or GUARD_AUDIT_TOKEN)`
    );
  return response.text();
}
async function pullCommand(argv, io) {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...KEY_OPTIONS,
      repo: { type: "string" },
      run: { type: "string" },
      job: { type: "string" },
      out: { type: "string" },
      token: { type: "string" }
    }
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.repo === void 0 || values.run === void 0) {
    io.stderr.write(`guard audit pull: --repo and --run are required
${USAGE}`);
    return 2;
  }
  const keys = await loadTrustedKeys(values.key ?? [], values.server);
  const pulled = await pullAuditArtifacts({
    repo: values.repo,
    runId: values.run,
    ...values.job === void 0 ? {} : { job: values.job },
    outDir: values.out ?? `guard-audit-${values.run}`,
    ...values.token ?? io.env.GITHUB_TOKEN ? { token: values.token ?? io.env.GITHUB_TOKEN } : {},
    apiUrl: io.env.GITHUB_API_URL ?? "https://api.github.com"
  });
  for (const name of pulled.expired)
    io.stdout.write(`EXPIRED  ${name}: GitHub no longer keeps it (artifact retention ran out)
`);
  if (pulled.pulled.length === 0) {
    io.stderr.write(
      `guard: run ${values.run} of ${values.repo} has no guard audit artifact${values.job ? ` for job ${values.job}` : ""} to verify
`
    );
    return 1;
  }
  let allOk = pulled.expired.length === 0;
  for (const artifact of pulled.pulled) {
    const result = await verifyBundle(artifact.dir, { keys });
    allOk &&= result.ok;
    io.stdout.write(formatVerification(`${artifact.name} -> ${artifact.dir}`, result));
  }
  return allOk ? 0 : 1;
}
export {
  runAuditCommand
};
