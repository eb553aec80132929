import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  checkSshTarget,
  clientKeyFingerprint,
  fingerprint,
  hostKeyAlgorithms,
  require_lib
} from "./chunk-UASNS3YF.js";
import {
  createMaskedOutput
} from "./chunk-KTCFTCQJ.js";
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
import {
  sha256Hex
} from "./chunk-RLLPX6DD.js";
import {
  createCastRecorder
} from "./chunk-DOSGDTZ2.js";
import "./chunk-RUVNZ2BJ.js";
import {
  createEventChain
} from "./chunk-V4X7F4OT.js";
import "./chunk-CJTZJTWV.js";
import {
  MASK_FILE,
  POLICY_FILE,
  SESSION_ENV
} from "./chunk-RRRNRIAW.js";
import {
  GuardServerClient
} from "./chunk-RZN5DC6H.js";
import "./chunk-PPEQLLQ3.js";
import {
  sleep
} from "./chunk-TF3SHLX6.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";
import {
  __toESM
} from "./chunk-VTIIOCZ3.js";

// shell-proxy/guard-run.ts
import { open as open2, readFile as readFile2, stat } from "node:fs/promises";
import { join as join3 } from "node:path";

// recording/recording-files.ts
import { createHash } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
var ChainedFileWriter = class {
  constructor(handle, path, mode, startHead, startCount, onGap) {
    this.handle = handle;
    this.path = path;
    this.mode = mode;
    this.onGap = onGap;
    this.writtenHead = startHead;
    this.writtenCount = startCount;
  }
  handle;
  path;
  mode;
  onGap;
  hash = createHash("sha256");
  size = 0;
  writtenHead;
  writtenCount;
  queue = Promise.resolve();
  failure;
  stopped = false;
  gaps = [];
  /** Queues `text` (whole lines) whose chain ends at head/count; resolves when it is on disk. */
  write(text, head, count) {
    const step = this.queue.then(async () => {
      if (this.failure !== void 0) throw this.failure;
      if (this.stopped) return;
      const bytes = Buffer.from(text, "utf8");
      try {
        let offset = 0;
        while (offset < bytes.length) {
          const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
          offset += bytesWritten;
        }
      } catch (error) {
        await this.fail(error);
        return;
      }
      this.hash.update(bytes);
      this.size += bytes.length;
      this.writtenHead = head;
      this.writtenCount = count;
    });
    this.queue = step.catch(() => void 0);
    return step;
  }
  async fail(error) {
    const message = `guard: could not write the recording ${this.path}: ${describeError(error)}`;
    if (this.mode === "strict") {
      this.failure = new GuardError(
        "RECORDING_FAILED",
        `${message}; the step is stopped because recording is strict (free disk space or fix permissions, or set recording: best_effort)`,
        { cause: error }
      );
      throw this.failure;
    }
    this.stopped = true;
    const gap = {
      file: this.path,
      afterLine: this.writtenCount,
      head: this.writtenHead,
      at: (/* @__PURE__ */ new Date()).toISOString(),
      error: describeError(error)
    };
    this.gaps.push(gap);
    try {
      await this.onGap?.(gap);
    } catch {
    }
  }
  async close() {
    await this.queue;
    try {
      await this.handle.sync();
    } catch (error) {
      if (this.mode === "strict") {
        throw new GuardError(
          "RECORDING_FAILED",
          `guard: could not flush the recording ${this.path} to disk: ${describeError(error)}`,
          { cause: error }
        );
      }
    } finally {
      await this.handle.close();
    }
    if (this.failure !== void 0) throw this.failure;
    return {
      path: this.path,
      sha256: this.hash.digest("hex"),
      size: this.size,
      head: this.writtenHead,
      count: this.writtenCount,
      gaps: this.gaps
    };
  }
};
async function openForWrite(path) {
  try {
    await mkdir(dirname(path), { recursive: true });
    return await open(path, "wx", 384);
  } catch (error) {
    throw new GuardError(
      "RECORDING_FAILED",
      `guard: could not create the recording ${path}: ${describeError(error)}; check the runner's temp directory is writable`,
      { cause: error }
    );
  }
}
function eventLogOn(handle, path, options) {
  const chain = createEventChain(options.previousHead, options.previousCount);
  const writer = new ChainedFileWriter(handle, path, options.mode, chain.head(), chain.count(), void 0);
  return {
    append(event, atMs = Date.now()) {
      const line = chain.append(event, atMs);
      return writer.write(line, chain.head(), chain.count());
    },
    head: () => chain.head(),
    count: () => chain.count(),
    close: () => writer.close()
  };
}
async function openStepRecording(path, header, options) {
  return stepRecordingOn(await openForWrite(path), path, header, options);
}
async function stepRecordingOn(handle, path, header, options) {
  const startedAtMs = options.startedAtMs ?? Date.now();
  const cast = createCastRecorder(header, startedAtMs);
  const events = options.events;
  const onGap = events ? (gap) => events.append({ type: "recording.gap", step: options.step, ...gap }) : void 0;
  const writer = new ChainedFileWriter(handle, path, options.mode, cast.head(), 0, onGap);
  const put = (text) => writer.write(text, cast.head(), cast.count());
  try {
    await put(cast.header());
  } catch (error) {
    await writer.close().catch(() => void 0);
    throw error;
  }
  return {
    output: (text, atMs = Date.now()) => put(cast.output(text, atMs)),
    input: (text, atMs = Date.now()) => put(cast.input(text, atMs)),
    marker: (label, atMs = Date.now()) => put(cast.marker(label, atMs)),
    resize: (cols, rows, atMs = Date.now()) => put(cast.resize(cols, rows, atMs)),
    exit: (status, atMs = Date.now()) => put(cast.exit(status, atMs)),
    head: () => cast.head(),
    close: () => writer.close()
  };
}

// shell-proxy/approval-wait.ts
async function waitForDecision(options) {
  const { client, print } = options;
  const progressEveryMs = options.progressEveryMs ?? 3e4;
  const started = Date.now();
  let state = options.approval;
  let lastProgress = started;
  let failures = 0;
  print(howToApprove(state, options.stepName, options.serverUrl));
  while (state.status === "pending") {
    if (options.signal?.aborted)
      throw new GuardError(
        "APPROVAL_DENIED",
        `guard: step '${options.stepName}' was cancelled while waiting for approval`
      );
    try {
      state = await client.waitForApproval(state.id, 25, options.signal);
      failures = 0;
    } catch (error) {
      if (!(error instanceof GuardError) || error.code !== "SERVER_UNREACHABLE") throw error;
      failures++;
      if (Date.now() > Date.parse(state.expiresAt)) throw error;
      print(`guard: lost the server while waiting (${error.message}); retrying`);
      await sleep(Math.min(3e4, 1e3 * 2 ** Math.min(failures, 5)), options.signal);
    }
    if (state.status === "pending" && Date.now() - lastProgress >= progressEveryMs) {
      lastProgress = Date.now();
      const approvals = state.votes.filter((vote) => vote.decision === "approve").length;
      print(
        `guard: still waiting for approval ${state.id} of step '${options.stepName}' (${formatDuration(Date.now() - started)}; ${approvals}/${state.required} approvals; expires in ${formatDuration(Date.parse(state.expiresAt) - Date.now())}); reviewers: ${state.reviewers.join(", ")}`
      );
    }
  }
  return state;
}
function howToApprove(state, stepName, serverUrl) {
  const who = state.reviewers.length > 0 ? state.reviewers.join(", ") : "(no reviewers configured: ask the platform team)";
  return [
    `guard: step '${stepName}' needs ${state.required} approval(s) before it runs (approval ${state.id}, expires ${state.expiresAt})`,
    `guard: who may approve: ${who}; not the person who started the run`,
    `guard: how: comment \`/guard approve ${state.id}\` on the pull request, or run \`guard approve ${state.id} --server ${serverUrl}\` with a reviewer credential`
  ].join("\n");
}
function formatDuration(ms) {
  const total = Math.max(0, Math.round(ms / 1e3));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor(total % 3600 / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  if (minutes > 0) return `${minutes}m${String(seconds).padStart(2, "0")}s`;
  return `${seconds}s`;
}

// shell-proxy/run-script.ts
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants as osConstants } from "node:os";

// shell-proxy/step-output.ts
function createStepOutput(options) {
  let failure;
  let pending = Promise.resolve();
  const outputs = [];
  const record = (text) => {
    if (!text) return;
    pending = pending.then(() => options.recording.output(text)).catch((error) => {
      if (options.strict && !failure) {
        failure = describeError(error);
        options.onRecordingFailure();
      }
    });
  };
  return {
    attach(from, to) {
      const masked = createMaskedOutput(options.masker.stream(), {
        runner: (text) => void to.write(text),
        record
      });
      from.on("data", (chunk) => masked.write(chunk));
      outputs.push(masked);
    },
    async finish() {
      for (const masked of outputs) masked.end();
      await pending;
    },
    recordingError: () => failure
  };
}

// shell-proxy/run-script.ts
var KILL_GRACE_MS = 5e3;
var BASH_ARGS = ["--noprofile", "--norc", "-e", "-o", "pipefail"];
async function runScript(options) {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), "guard-step-"));
  const file = join(dir, "script.sh");
  await writeFile(file, options.script, { mode: 384 });
  try {
    return await spawnBash(file, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
function spawnBash(file, options) {
  return new Promise((resolve) => {
    const child = spawn("bash", [...BASH_ARGS, file], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true
    });
    const output = createStepOutput({
      ...options,
      onRecordingFailure: () => killGroup(child.pid, "SIGTERM")
    });
    output.attach(child.stdout, options.stdout);
    output.attach(child.stderr, options.stderr);
    let killTimer;
    const forward = () => {
      killGroup(child.pid, "SIGTERM");
      killTimer ??= setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    process.on("SIGHUP", forward);
    child.on("error", (error) => {
      options.stderr.write(`guard: could not start bash: ${error.message}
`);
    });
    child.on("close", (code, signal) => {
      clearTimeout(killTimer);
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
      void output.finish().then(() => {
        const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1);
        const recordingError = output.recordingError();
        resolve({ exitCode, signal, ...recordingError ? { recordingError } : {} });
      });
    });
  });
}
function killGroup(pid, signal) {
  if (pid === void 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
  }
}

// ssh/remote-run.ts
import { constants as osConstants2 } from "node:os";

// ssh/connect.ts
var import_ssh2 = __toESM(require_lib(), 1);
var KEEPALIVE_MS = 15e3;
var KEEPALIVE_MAX = 4;
function connectSsh(target, options = {}) {
  let pinned;
  let clientKey;
  try {
    ({ hostKeys: pinned, clientKey } = checkSshTarget(target));
  } catch (error) {
    return Promise.reject(
      new GuardError(
        "CONFIG_INVALID",
        `guard: the SSH target for ${target.host}:${target.port} is not usable: ${error.message}; the platform team re-registers it with \`guard server ssh add\``,
        { cause: error }
      )
    );
  }
  const where = `${target.username}@${target.host}:${target.port}`;
  return new Promise((resolve, reject) => {
    const client = new import_ssh2.default.Client();
    let presented;
    let settled = false;
    const fail = (error) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      client.end();
      reject(error);
    };
    const onAbort = () => fail(
      new GuardError(
        "SSH_FAILED",
        `guard: the step was cancelled while connecting to ${where}; nothing ran`
      )
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    client.on("ready", () => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      resolve(client);
    });
    client.on("error", (error) => fail(translate(error)));
    client.on(
      "close",
      () => fail(
        new GuardError(
          "SSH_FAILED",
          `guard: the SSH connection to ${where} closed during login; nothing ran`
        )
      )
    );
    const translate = (error) => {
      if (presented !== void 0) {
        const shown = `${keyType(presented)} ${fingerprint(presented)}`;
        return new GuardError(
          "SSH_HOST_KEY_MISMATCH",
          `guard: SSH host ${target.host}:${target.port} presented host key ${shown}, which is not pinned for this target (pinned: ${pinned.map((key) => `${key.type} ${key.fingerprint}`).join(", ")}); nothing was run. If the host key was changed on purpose, the platform team pins the new one with \`guard server ssh add\`; otherwise treat this as a possible interception`,
          { cause: error }
        );
      }
      if (/no matching host key/i.test(error.message)) {
        return new GuardError(
          "SSH_HOST_KEY_MISMATCH",
          `guard: SSH host ${target.host}:${target.port} offers none of the pinned host key types (${pinned.map((key) => key.type).join(", ")}); nothing was run. Pin the key the host actually uses (\`ssh-keyscan -p ${target.port} ${target.host}\`, checked out of band)`,
          { cause: error }
        );
      }
      if (error.level === "client-authentication") {
        return new GuardError(
          "SSH_FAILED",
          `guard: ${where} refused the step's key (${clientKeyFingerprint(clientKey)}); nothing was run. Add its public key to ~${target.username}/.ssh/authorized_keys on the host`,
          { cause: error }
        );
      }
      if (error.level === "client-timeout") {
        return new GuardError(
          "SSH_FAILED",
          `guard: ${where} did not finish the SSH handshake in time; nothing was run. Check the host is up and reachable from the runner`,
          { cause: error }
        );
      }
      return new GuardError(
        "SSH_FAILED",
        `guard: cannot connect to ${where}: ${error.message}; nothing was run. Check the host is up and reachable from the runner`,
        { cause: error }
      );
    };
    const login = { type: "publickey", username: target.username, key: clientKey };
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      // Offer only the pinned key types, so a host that also has other keys presents a pinned one.
      algorithms: { serverHostKey: hostKeyAlgorithms(pinned) },
      hostVerifier: (key) => {
        if (pinned.some((pin) => pin.blob.equals(key))) return true;
        presented = Buffer.from(key);
        return false;
      },
      // The key parsed (and decrypted) once above; public-key login only, never a password prompt.
      authHandler: [login],
      readyTimeout: options.readyTimeoutMs ?? 2e4,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_MAX
    });
  });
}
function keyType(blob) {
  if (blob.length < 4) return "unknown";
  return blob.subarray(4, 4 + Math.min(blob.readUInt32BE(0), 64)).toString("latin1");
}

// ssh/remote-command.ts
var INCOMPLETE_SCRIPT_EXIT = 255;
var LAUNCHER = [
  "exec 4<&0 </dev/null",
  [
    "exec 5< <(",
    "export LC_ALL=C; ",
    's=$(head -c "$1" <&4; echo .); s=${s%.}; ',
    'if [ "${#s}" = "$1" ]; then printf %s "$s"; ',
    `else echo "guard: the step script arrived incomplete (\${#s} of $1 bytes); nothing was run" >&2; echo "exit ${INCOMPLETE_SCRIPT_EXIT}"; fi; `,
    'exec >/dev/null 2>&1 </dev/null; trap "" TERM INT HUP; ',
    "while IFS= read -r -u 4 _; do :; done; ",
    'if kill -0 "$$" 2>/dev/null; then kill -TERM 0; sleep "$2"; kill -KILL 0; fi',
    ")"
  ].join(""),
  `exec bash ${BASH_ARGS.join(" ")} /dev/fd/5 4<&-`
].join("\n");
function remoteCommand(scriptBytes, killGraceSeconds) {
  if (!Number.isSafeInteger(scriptBytes) || scriptBytes < 0)
    throw new TypeError("scriptBytes must be a byte count");
  if (!Number.isInteger(killGraceSeconds) || killGraceSeconds < 1)
    throw new TypeError("killGraceSeconds must be >= 1");
  return `exec bash --noprofile --norc -c '${LAUNCHER}' guard-ssh-step ${scriptBytes} ${killGraceSeconds}`;
}
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
var READ_ONLY = /* @__PURE__ */ new Set(["BASHOPTS", "BASH_VERSINFO", "EUID", "PPID", "SHELLOPTS", "UID"]);
function scriptPrelude(env = {}) {
  const exports = Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name))
      throw new TypeError(`ssh step: '${name}' is not a valid environment variable name`);
    if (READ_ONLY.has(name)) throw new TypeError(`ssh step: bash does not allow setting ${name}`);
    if (value.includes("\0")) throw new TypeError(`ssh step: the value of ${name} contains a NUL byte`);
    return `${name}=${ansiCQuote(value)}`;
  });
  return `exec 5<&-; ${exports.length > 0 ? `export ${exports.join(" ")}; ` : ""}`;
}
function ansiCQuote(value) {
  let out = "$'";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\" || char === "'") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "	") out += "\\t";
    else if (code < 32 || code === 127) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return `${out}'`;
}

// ssh/remote-run.ts
var KILL_GRACE_MS2 = 5e3;
var CLOSE_GRACE_MS = 3e3;
var CONNECTION_LOST_EXIT = 255;
async function runRemoteScript(options) {
  options.masker.addSecret(options.target.privateKey);
  if (options.target.passphrase) options.masker.addSecret(options.target.passphrase);
  const script = Buffer.concat([Buffer.from(scriptPrelude(options.env)), options.script]);
  const graceMs = options.killGraceMs ?? KILL_GRACE_MS2;
  const command = remoteCommand(script.length, Math.max(1, Math.ceil(graceMs / 1e3)));
  const cancel = new AbortController();
  const onProcessSignal = () => cancel.abort();
  const onAbort = () => cancel.abort();
  if (options.signal?.aborted) cancel.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  for (const name of PROCESS_SIGNALS) process.on(name, onProcessSignal);
  try {
    const client = await connectSsh(options.target, {
      signal: cancel.signal,
      ...options.readyTimeoutMs !== void 0 ? { readyTimeoutMs: options.readyTimeoutMs } : {}
    });
    try {
      const channel = await openExec(client, command, options.target);
      return await drive(channel, client, script, graceMs, options, cancel.signal);
    } finally {
      client.end();
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    for (const name of PROCESS_SIGNALS) process.off(name, onProcessSignal);
  }
}
var PROCESS_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
function openExec(client, command, target) {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error)
        reject(
          new GuardError(
            "SSH_FAILED",
            `guard: ${target.username}@${target.host} refused to run a command (${error.message}); nothing was run. Check the account may run commands (no forced command, a login shell that exists)`,
            { cause: error }
          )
        );
      else resolve(channel);
    });
  });
}
function drive(channel, client, script, graceMs, options, cancelled) {
  return new Promise((resolve) => {
    const output = createStepOutput({ ...options, onRecordingFailure: () => stop() });
    output.attach(channel, options.stdout);
    output.attach(channel.stderr, options.stderr);
    let closeTimer;
    const stop = () => {
      if (closeTimer) return;
      channel.end();
      closeTimer = setTimeout(() => channel.close(), graceMs + CLOSE_GRACE_MS);
    };
    if (cancelled.aborted) stop();
    else cancelled.addEventListener("abort", stop, { once: true });
    let exit;
    channel.on("exit", (code, signal) => {
      exit = { code, signal };
    });
    let connectionError;
    client.on("error", (error) => {
      connectionError = error.message;
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(closeTimer);
      cancelled.removeEventListener("abort", stop);
      void output.finish().then(() => {
        if (!exit) {
          options.stderr.write(
            `guard: the SSH connection to ${options.target.host} ended before the remote script reported its exit status${connectionError ? ` (${connectionError})` : ""}; the step is failed with exit code ${CONNECTION_LOST_EXIT}
`
          );
        }
        const recordingError = output.recordingError();
        const signal = exit?.signal ? exit.signal : null;
        const exitCode = exit?.code ?? (signal ? 128 + (osConstants2.signals[signal] ?? 0) : CONNECTION_LOST_EXIT);
        resolve({ exitCode, signal, ...recordingError ? { recordingError } : {} });
      });
    };
    channel.on("close", finish);
    client.on("close", finish);
    channel.write(script);
  });
}

// ssh/step-env.ts
var CONTEXT_VARIABLES = [
  "CI",
  "GITHUB_ACTIONS",
  "GITHUB_REPOSITORY",
  "GITHUB_REPOSITORY_ID",
  "GITHUB_RUN_ID",
  "GITHUB_RUN_ATTEMPT",
  "GITHUB_RUN_NUMBER",
  "GITHUB_SHA",
  "GITHUB_REF",
  "GITHUB_REF_NAME",
  "GITHUB_ACTOR",
  "GITHUB_TRIGGERING_ACTOR",
  "GITHUB_WORKFLOW",
  "GITHUB_JOB",
  "GITHUB_EVENT_NAME",
  "GITHUB_SERVER_URL"
];
var FORWARD_LIST = "GUARD_SSH_ENV";
var NEVER = /^(?:GUARD_|ACTIONS_|RUNNER_|GITHUB_TOKEN$)/;
function sshStepEnv(runnerEnv, stepName) {
  const env = {};
  for (const name of CONTEXT_VARIABLES) {
    const value = runnerEnv[name];
    if (value !== void 0) env[name] = value;
  }
  env.GUARD_STEP_NAME = stepName;
  const names = (runnerEnv[FORWARD_LIST] ?? "").split(/[\s,]+/).filter((name) => name !== "");
  for (const name of names) {
    if (NEVER.test(name))
      throw new GuardError(
        "BAD_INPUT",
        `guard: ${FORWARD_LIST} names ${name}, which guard never sends to a remote host (guard's session, the runner's tokens); pass what the script needs under another name`
      );
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new GuardError(
        "BAD_INPUT",
        `guard: ${FORWARD_LIST} names '${name}', which is not a variable name`
      );
    const value = runnerEnv[name];
    if (value !== void 0) env[name] = value;
  }
  return env;
}

// shell-proxy/step-session.ts
import { readFile } from "node:fs/promises";
import { dirname as dirname2, join as join2 } from "node:path";
async function readStepSession(env) {
  const server = env[SESSION_ENV.server];
  const credential = env[SESSION_ENV.credential];
  const sessionId = env[SESSION_ENV.sessionId];
  const auditDir = env[SESSION_ENV.auditDir];
  if (!server || !credential || !sessionId || !auditDir) {
    throw new GuardError(
      "SESSION_INVALID",
      "guard: this step has no guard session; add `- uses: hoop/guard@v1` with `server:` before the first `shell: guard {0}` step (and check it succeeded)"
    );
  }
  const privateDir = join2(dirname2(auditDir), "private");
  let policy;
  let maskValues;
  try {
    policy = JSON.parse(await readFile(join2(privateDir, POLICY_FILE), "utf8"));
    maskValues = JSON.parse(await readFile(join2(privateDir, MASK_FILE), "utf8"));
  } catch (error) {
    throw new GuardError(
      "SESSION_INVALID",
      `guard: the session files in ${privateDir} are missing or damaged; re-run the job`,
      { cause: error }
    );
  }
  return { server, credential, sessionId, auditDir, policy, maskValues };
}

// shell-proxy/database-proxy.ts
import { randomBytes } from "node:crypto";
async function startDatabaseProxy(options) {
  const counts = {};
  const login = { user: `guard_step_${options.stepSeq}`, password: randomBytes(24).toString("base64url") };
  options.masker.addSecret(login.password);
  if (options.upstream.password) options.masker.addSecret(options.upstream.password);
  let pending = Promise.resolve();
  const proxy = await startPgProxy({
    listen: { host: "127.0.0.1", port: 0 },
    upstream: options.upstream,
    clientAuth: login,
    maskColumns: options.policy.masking.columns,
    maskValue: (text) => options.masker.maskText(text),
    judge: (stmt) => {
      const decision = decideSql(options.policy, {
        class: stmt.class,
        tables: [...stmt.tables],
        withoutWhere: stmt.withoutWhere,
        text: stmt.text,
        target: options.target
      });
      const common = { ...decision.rule ? { rule: decision.rule } : {}, reason: decision.reason };
      return decision.action === "block" ? { action: "block", ...common } : { action: decision.action, ...common };
    },
    requestApproval: async (stmt, signal) => {
      const approval = await options.client.requestSqlApproval(options.stepId, {
        sql: stmt.text,
        digest: sha256Hex(stmt.text),
        reason: `${stmt.class} on ${stmt.tables.join(", ") || "no table"}`
      });
      const decided = await waitForDecision({
        client: options.client,
        approval,
        stepName: `${options.stepName} (SQL)`,
        serverUrl: options.serverUrl,
        print: options.print,
        signal
      });
      return decided.status === "approved" ? { approved: true } : { approved: false, reason: decided.reason ?? decided.status };
    },
    onEvent: (event) => {
      if (event.type === "sql.statement") counts[event.class] = (counts[event.class] ?? 0) + 1;
      pending = pending.then(() => options.events.append({ ...event, step: options.stepSeq })).catch(() => {
      });
    }
  });
  const env = {
    PGHOST: proxy.host,
    PGPORT: String(proxy.port),
    PGUSER: login.user,
    PGPASSWORD: login.password,
    PGDATABASE: options.upstream.database,
    PGSSLMODE: "disable",
    DATABASE_URL: `postgresql://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@${proxy.host}:${proxy.port}/${encodeURIComponent(options.upstream.database)}?sslmode=disable`
  };
  return {
    env,
    counts: () => ({ ...counts }),
    async close() {
      await proxy.close();
      await pending;
    }
  };
}

// shell-proxy/guard-run.ts
function parseRunArgs(argv) {
  let kind = "shell";
  let target;
  let name;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const value = () => {
      const next = argv[++i];
      if (next === void 0) throw new GuardError("BAD_INPUT", `guard: ${arg} needs a value`);
      return next;
    };
    if (arg === "--db") [kind, target] = ["db", value()];
    else if (arg === "--ssh") [kind, target] = ["ssh", value()];
    else if (arg === "--name") name = value();
    else if (arg.startsWith("--"))
      throw new GuardError(
        "BAD_INPUT",
        `guard: unknown option ${arg}; use: shell: guard [--db NAME | --ssh NAME] [--name NAME] {0}`
      );
    else rest.push(arg);
  }
  if (rest.length !== 1 || !rest[0]) {
    throw new GuardError(
      "BAD_INPUT",
      "guard: expected exactly one script path; use `shell: guard {0}` in the workflow"
    );
  }
  return { script: rest[0], kind, ...target ? { target } : {}, ...name ? { name } : {} };
}
async function runGuardedStep(argv, io) {
  const say = (line) => void io.stdout.write(`${line}
`);
  try {
    const args = parseRunArgs(argv);
    const session = await readStepSession(io.env);
    const scriptBytes = await readFile2(args.script).catch((error) => {
      throw new GuardError("BAD_INPUT", `guard: cannot read the step script ${args.script}`, {
        cause: error
      });
    });
    const name = args.name ?? io.env.GUARD_STEP_NAME ?? io.env.GITHUB_ACTION ?? "step";
    const masker = createMasker({
      packs: session.policy.masking.packs,
      rules: session.policy.masking.rules,
      secrets: [session.credential, ...session.maskValues]
    });
    const scriptSha256 = sha256Hex(scriptBytes);
    const client = new GuardServerClient(session.server, session.credential);
    const registration = await client.registerStep({
      name,
      kind: args.kind,
      ...args.target ? { target: args.target } : {},
      script: masker.maskText(scriptBytes.toString("utf8")),
      scriptSha256
    });
    const { step, decision } = registration;
    const strict = session.policy.recording === "strict";
    const events = await openEvents(session.auditDir, strict);
    const recording = await openStepRecording(
      join3(session.auditDir, "steps", `${step.seq}.cast`),
      {
        cols: 120,
        rows: 40,
        command: `${args.kind === "ssh" ? `ssh ${args.target}: ` : ""}bash ${BASH_ARGS.join(" ")} {0}`,
        title: name,
        termType: "xterm-256color"
      },
      { mode: session.policy.recording, events, step: step.seq }
    );
    await events.append({
      type: "step.start",
      step: step.seq,
      name,
      kind: args.kind,
      script_sha256: scriptSha256,
      decision: decision.action,
      rule: decision.rule,
      reason: decision.reason
    });
    const refuse = async (code, message, status) => {
      await recording.marker(`guard: ${status}`);
      await recording.exit(1);
      const closed2 = await recording.close();
      await events.append({
        type: "step.end",
        step: step.seq,
        status,
        exit_code: null,
        cast_sha256: closed2.sha256
      });
      await events.close();
      throw new GuardError(code, message);
    };
    if (decision.action === "block") {
      await refuse(
        "POLICY_DENIED",
        `guard: step '${name}' is blocked by policy (${decision.rule ?? "policy"}): ${decision.reason}`,
        "blocked"
      );
    }
    if (decision.action === "require-approval") {
      const pending = registration.approval;
      if (!pending)
        throw new GuardError(
          "SERVER_ERROR",
          "guard: the server asked for approval but sent no approval request"
        );
      await recording.marker(`approval ${pending.id} requested`);
      await events.append({
        type: "approval.requested",
        step: step.seq,
        approval: pending.id,
        reviewers: pending.reviewers,
        required: pending.required,
        expires_at: pending.expiresAt
      });
      const decided = await waitForDecision({
        client,
        approval: pending,
        stepName: name,
        serverUrl: session.server,
        print: say
      });
      await events.append(approvalEvent(step.seq, decided));
      await recording.marker(`approval ${decided.id} ${decided.status}`);
      if (decided.status !== "approved") {
        const why = decided.status === "expired" ? `expired at ${decided.expiresAt}; ask a reviewer to approve sooner and re-run the job` : `${decided.reason ?? "denied"}`;
        await refuse(
          decided.status === "expired" ? "APPROVAL_EXPIRED" : "APPROVAL_DENIED",
          `guard: step '${name}' was not approved: ${why}`,
          decided.status
        );
      }
      say(
        `guard: step '${name}' approved by ${decided.votes.filter((vote) => vote.decision === "approve").map((vote) => vote.reviewer).join(", ")}`
      );
    }
    const release = await client.startStep(step.id, scriptSha256);
    const started = Date.now();
    let database;
    if (args.kind === "db") {
      if (!release.database || !args.target)
        throw new GuardError(
          "SERVER_ERROR",
          "guard: the server released a database step without its connection"
        );
      database = await startDatabaseProxy({
        target: args.target,
        upstream: release.database,
        policy: session.policy,
        client,
        serverUrl: session.server,
        stepId: step.id,
        stepSeq: step.seq,
        stepName: name,
        masker,
        events,
        print: say
      });
      say(
        `guard: database '${args.target}' is reachable for this step at ${database.env.PGHOST}:${database.env.PGPORT} (PG* and DATABASE_URL are set); every statement is judged, recorded and its results masked`
      );
    }
    const env = { ...io.env, ...database?.env ?? {} };
    delete env[SESSION_ENV.credential];
    const output = { masker, recording, strict, stdout: io.stdout, stderr: io.stderr };
    let result;
    if (args.kind === "ssh") {
      if (!release.ssh)
        throw new GuardError("SERVER_ERROR", "guard: the server released an SSH step without its target");
      try {
        result = await runRemoteScript({
          target: release.ssh,
          script: scriptBytes,
          env: sshStepEnv(io.env, name),
          ...output
        });
      } catch (error) {
        await recording.marker("guard: ssh refused");
        await recording.exit(1);
        const closed2 = await recording.close();
        await events.append({
          type: "step.end",
          step: step.seq,
          status: "ssh-refused",
          exit_code: 1,
          cast_sha256: closed2.sha256
        });
        await events.close();
        await client.finishStep(step.id, {
          exitCode: 1,
          castSha256: closed2.sha256,
          maskCounts: { ...masker.counts() }
        });
        throw error;
      }
    } else {
      result = await runScript({
        script: scriptBytes,
        env,
        cwd: io.cwd,
        ...output,
        ...io.env.RUNNER_TEMP ? { tempDir: io.env.RUNNER_TEMP } : {}
      });
    }
    await database?.close();
    await recording.exit(result.exitCode);
    const closed = await recording.close();
    const maskCounts = { ...masker.counts() };
    const sqlCounts = database?.counts();
    await events.append({
      type: "step.end",
      step: step.seq,
      status: result.recordingError ? "recording-failed" : "finished",
      exit_code: result.exitCode,
      signal: result.signal,
      duration_ms: Date.now() - started,
      cast_sha256: closed.sha256,
      cast_head: closed.head,
      mask_counts: maskCounts,
      ...sqlCounts ? { sql_counts: sqlCounts } : {}
    });
    await events.close();
    await client.finishStep(step.id, { exitCode: result.exitCode, castSha256: closed.sha256, maskCounts });
    if (result.recordingError) {
      throw new GuardError(
        "RECORDING_FAILED",
        `guard: step '${name}' was stopped because its recording failed (recording: strict): ${result.recordingError}`
      );
    }
    return result.exitCode;
  } catch (error) {
    io.stderr.write(`${describeError(error)}
`);
    return 1;
  }
}
function approvalEvent(step, state) {
  return {
    type: "approval.decided",
    step,
    approval: state.id,
    status: state.status,
    reason: state.reason,
    votes: state.votes.map((vote) => ({
      reviewer: vote.reviewer,
      decision: vote.decision,
      channel: vote.channel,
      at: vote.at,
      comment: vote.comment
    }))
  };
}
async function openEvents(auditDir, strict) {
  const path = join3(auditDir, "events.jsonl");
  let previous = {};
  const exists = await stat(path).then(
    () => true,
    () => false
  );
  if (exists) {
    const lines = (await readFile2(path, "utf8")).trimEnd().split("\n");
    const last = lines.at(-1);
    if (last) previous = JSON.parse(last);
  }
  const handle = await open2(path, "a", 384).catch((error) => {
    throw new GuardError(
      "RECORDING_FAILED",
      `guard: cannot open the event log ${path}; check the runner's temp directory is writable`,
      { cause: error }
    );
  });
  return eventLogOn(handle, path, {
    mode: strict ? "strict" : "best_effort",
    ...previous.hash ? { previousHead: previous.hash, previousCount: previous.seq ?? 0 } : {}
  });
}
export {
  parseRunArgs,
  runGuardedStep
};
