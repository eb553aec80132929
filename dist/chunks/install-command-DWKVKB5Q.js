import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  DEFAULT_TIMEOUT_SEC,
  HOOK_ENV,
  RunnerClient
} from "./chunk-2RDDSRY6.js";
import {
  RUNNER_CREDENTIAL_PREFIX
} from "./chunk-LROATGUR.js";
import "./chunk-TF3SHLX6.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// runner-hook/install-command.ts
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";

// runner-hook/env-file.ts
function updateEnvFile(text, entries) {
  for (const [key, value] of Object.entries(entries)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new TypeError(`not an environment variable name: ${key}`);
    if (/[\r\n]/.test(value)) throw new TypeError(`${key}: a .env value is one line`);
  }
  const replaced = [];
  const pending = new Map(Object.entries(entries));
  const lines = text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const out = [];
  for (const line of lines) {
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : void 0;
    if (key === void 0 || !Object.hasOwn(entries, key)) {
      out.push(line);
      continue;
    }
    const value = pending.get(key);
    if (value === void 0) continue;
    const previous = line.slice(eq + 1);
    if (previous !== value) replaced.push({ key, previous });
    out.push(`${key}=${value}`);
    pending.delete(key);
  }
  for (const [key, value] of pending) out.push(`${key}=${value}`);
  return { text: `${out.join("\n")}
`, replaced };
}

// runner-hook/install-command.ts
var HOOK_VARS = {
  started: "ACTIONS_RUNNER_HOOK_JOB_STARTED",
  completed: "ACTIONS_RUNNER_HOOK_JOB_COMPLETED"
};
var USAGE = `usage: guard runner-hook install --server URL --runner-dir DIR [options] < credential

Installs guard's job-started and job-completed hooks on a self-hosted runner.
  --server URL              the guard server (written into the hooks; a workflow cannot change it)
  --runner-dir DIR          the runner's folder (its .env gets the hook variables)
  --hook-dir DIR            where the hooks and the credential go (default: DIR-guard-hooks beside it)
  --credential-file FILE    read the runner credential from FILE (default: stdin, or GUARD_RUNNER_CREDENTIAL)
  --node PATH               node to run the hooks with (default: this node)
  --dist DIR                guard's dist/ folder with job-started.js (default: the folder of this guard)
  --started-timeout SEC     job-started's own limit, including the wait for approval (default ${DEFAULT_TIMEOUT_SEC.started})
  --completed-timeout SEC   job-completed's own limit (default ${DEFAULT_TIMEOUT_SEC.completed})
  --no-verify               do not check the credential with the server now
Restart the runner afterwards: it reads .env when it starts.
`;
async function runRunnerHookCommand(argv, io) {
  const [verb, ...rest] = argv;
  if (verb !== "install" || rest.includes("--help")) {
    (verb === "install" || verb === "--help" ? io.stdout : io.stderr).write(USAGE);
    return verb === "install" || verb === "--help" ? 0 : 2;
  }
  try {
    const options = parseInstallArgs(rest, io);
    const credential = await readCredential(options, io);
    if (options.verify) {
      const client = new RunnerClient(options.server, credential, {
        signal: AbortSignal.timeout(3e4),
        attempts: 1
      });
      const me = await client.whoami();
      io.stdout.write(
        `guard: the server knows this credential as runner ${me.name}${me.labels.length > 0 ? ` (labels ${me.labels.join(", ")})` : ""}
`
      );
    }
    const paths = await install(options, credential);
    io.stdout.write(
      [
        `guard: hooks written to ${options.hookDir} (credential in ${paths.credential}, mode 600)`,
        `guard: ${join(options.runnerDir, ".env")} now sets ${HOOK_VARS.started}, ${HOOK_VARS.completed} and ${HOOK_ENV.server}`,
        ...paths.replaced.map(
          (r) => `guard: replaced ${r.key}=${r.previous} (call it from the guard hook's folder if it must still run)`
        ),
        "guard: restart the runner (./svc.sh stop && ./svc.sh start, or run.sh) so it reads .env",
        ""
      ].join("\n")
    );
    return 0;
  } catch (error) {
    io.stderr.write(`${describeError(error)}
`);
    return error instanceof GuardError && error.code === "BAD_INPUT" ? 2 : 1;
  }
}
function parseInstallArgs(argv, io) {
  const flags = /* @__PURE__ */ new Map();
  let verify = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--no-verify") {
      verify = false;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1])
      throw new GuardError("BAD_INPUT", `guard runner-hook install: unexpected argument '${arg}'
${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === void 0)
      throw new GuardError("BAD_INPUT", `guard runner-hook install: --${match[1]} needs a value`);
    flags.set(match[1], value);
  }
  const known = [
    "server",
    "runner-dir",
    "hook-dir",
    "credential-file",
    "node",
    "dist",
    "started-timeout",
    "completed-timeout"
  ];
  for (const name of flags.keys())
    if (!known.includes(name))
      throw new GuardError("BAD_INPUT", `guard runner-hook install: unknown option --${name}
${USAGE}`);
  const server = flags.get("server");
  const runnerDirFlag = flags.get("runner-dir");
  if (!server || !runnerDirFlag)
    throw new GuardError(
      "BAD_INPUT",
      `guard runner-hook install: --server and --runner-dir are required
${USAGE}`
    );
  let url;
  try {
    url = new URL(server);
  } catch {
    throw new GuardError("BAD_INPUT", `guard runner-hook install: --server '${server}' is not a URL`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !loopback)
    throw new GuardError(
      "BAD_INPUT",
      "guard runner-hook install: --server must use https (plain http only on loopback): the hooks send the runner credential"
    );
  const runnerDir = resolve(io.cwd, runnerDirFlag);
  const seconds = (name, fallback) => {
    const raw = flags.get(name);
    const value = raw === void 0 ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new GuardError(
        "BAD_INPUT",
        `guard runner-hook install: --${name} must be a positive number of seconds`
      );
    return value;
  };
  const dist = resolve(io.cwd, flags.get("dist") ?? dirname(process.argv[1] ?? "."));
  const node = flags.get("node") ?? process.execPath;
  if (!isAbsolute(node))
    throw new GuardError("BAD_INPUT", "guard runner-hook install: --node must be an absolute path");
  const credentialFile = flags.get("credential-file");
  return {
    server: url.toString().replace(/\/$/, ""),
    runnerDir,
    hookDir: resolve(io.cwd, flags.get("hook-dir") ?? `${runnerDir}-guard-hooks`),
    ...credentialFile ? { credentialFile: resolve(io.cwd, credentialFile) } : {},
    node,
    dist,
    startedTimeout: seconds("started-timeout", DEFAULT_TIMEOUT_SEC.started),
    completedTimeout: seconds("completed-timeout", DEFAULT_TIMEOUT_SEC.completed),
    verify
  };
}
async function readCredential(options, io) {
  let text;
  if (options.credentialFile) text = await readFile(options.credentialFile, "utf8");
  else if (io.env.GUARD_RUNNER_CREDENTIAL) text = io.env.GUARD_RUNNER_CREDENTIAL;
  else if (io.stdin.isTTY)
    throw new GuardError(
      "BAD_INPUT",
      "guard runner-hook install: pipe the runner credential in (guard runner add NAME | guard runner-hook install ...) or use --credential-file"
    );
  else {
    const chunks = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
    text = Buffer.concat(chunks).toString("utf8");
  }
  const credential = text.trim().split(/\s+/)[0] ?? "";
  if (!credential.startsWith(RUNNER_CREDENTIAL_PREFIX) || credential.length < 20)
    throw new GuardError(
      "BAD_INPUT",
      `guard runner-hook install: that is not a runner credential (${RUNNER_CREDENTIAL_PREFIX}...); create one with \`guard runner add NAME\``
    );
  return credential;
}
async function install(options, credential) {
  const runnerInfo = await stat(options.runnerDir).catch(() => void 0);
  if (!runnerInfo?.isDirectory())
    throw new GuardError(
      "BAD_INPUT",
      `guard runner-hook install: the runner folder ${options.runnerDir} does not exist`
    );
  for (const hook of ["job-started.js", "job-completed.js"])
    if (!existsSync(join(options.dist, hook)))
      throw new GuardError(
        "BAD_INPUT",
        `guard runner-hook install: ${join(options.dist, hook)} is missing; point --dist at guard's dist/ folder`
      );
  await mkdir(options.hookDir, { recursive: true, mode: 448 });
  await chmod(options.hookDir, 448);
  const credentialPath = join(options.hookDir, "runner-credential");
  await writePrivate(credentialPath, `${credential}
`, 384);
  const wrappers = {
    started: join(options.hookDir, "job-started.sh"),
    completed: join(options.hookDir, "job-completed.sh")
  };
  await writePrivate(
    wrappers.started,
    wrapper(options, credentialPath, "job-started.js", options.startedTimeout),
    448
  );
  await writePrivate(
    wrappers.completed,
    wrapper(options, credentialPath, "job-completed.js", options.completedTimeout),
    448
  );
  const envPath = join(options.runnerDir, ".env");
  const before = await readFile(envPath, "utf8").catch(() => "");
  const mode = (await stat(envPath).catch(() => void 0))?.mode ?? 420;
  const updated = updateEnvFile(before, {
    [HOOK_VARS.started]: wrappers.started,
    [HOOK_VARS.completed]: wrappers.completed,
    [HOOK_ENV.server]: options.server
  });
  await writePrivate(envPath, updated.text, mode & 511);
  return { credential: credentialPath, replaced: updated.replaced };
}
function wrapper(options, credentialPath, entry, timeoutSec) {
  const q = (value) => `'${value.replaceAll("'", "'\\''")}'`;
  return [
    `# guard runner hook for ${basename(options.runnerDir)}, written by \`guard runner-hook install\`; re-run it to change.`,
    `${HOOK_ENV.server}=${q(options.server)}`,
    `${HOOK_ENV.credentialFile}=${q(credentialPath)}`,
    `${HOOK_ENV.timeout}=${q(String(timeoutSec))}`,
    `export ${HOOK_ENV.server} ${HOOK_ENV.credentialFile} ${HOOK_ENV.timeout}`,
    "unset NODE_OPTIONS NODE_PATH NODE_EXTRA_CA_CERTS NODE_TLS_REJECT_UNAUTHORIZED NODE_USE_ENV_PROXY LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT",
    `exec ${q(options.node)} ${q(join(options.dist, entry))}`,
    ""
  ].join("\n");
}
async function writePrivate(path, text, mode) {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await chmod(temp, mode);
  await rename(temp, path);
}
export {
  HOOK_VARS,
  runRunnerHookCommand
};
