import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  hookDeadline,
  hookOutput,
  jobReportFromEnv,
  readEventPayload
} from "./chunks/chunk-BRNSH7DP.js";
import {
  RunnerClient,
  readHookSettings
} from "./chunks/chunk-2RDDSRY6.js";
import {
  CHUNK_BYTES,
  RECORDING_PATH
} from "./chunks/chunk-LROATGUR.js";
import "./chunks/chunk-TF3SHLX6.js";
import {
  GuardError,
  describeError
} from "./chunks/chunk-I2IPMUGB.js";
import "./chunks/chunk-VTIIOCZ3.js";

// runner-hook/completed.ts
import { join as join2 } from "node:path";

// runner-hook/local-recordings.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";
var SESSION_DIR = /^[0-9a-f]{16}$/;
async function findLocalSessions(runnerTemp) {
  if (!runnerTemp) return [];
  const guardDir = join(runnerTemp, "guard");
  if (!await isRealDir(guardDir)) return [];
  const found = [];
  for (const name of (await readdir(guardDir)).sort()) {
    if (!SESSION_DIR.test(name)) continue;
    const sessionDir = join(guardDir, name);
    const recordDir = join(sessionDir, "record");
    if (!await isRealDir(sessionDir) || !await isRealDir(recordDir)) {
      found.push({ id: name, recordDir, files: [] });
      continue;
    }
    const candidates = ["events.jsonl"];
    if (await isRealDir(join(recordDir, "steps")))
      candidates.push(...(await readdir(join(recordDir, "steps"))).map((file) => `steps/${file}`));
    const files = [];
    for (const path of candidates.filter((p) => RECORDING_PATH.test(p)).sort()) {
      const described = await describeFile(join(recordDir, path));
      if (described) files.push({ path, ...described });
    }
    found.push({ id: name, recordDir, files });
  }
  return found;
}
async function describeFile(file) {
  const info = await lstat(file).catch(() => void 0);
  if (!info?.isFile()) return void 0;
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest("hex") };
}
async function readSlice(file, offset, length) {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
async function isRealDir(path) {
  const info = await lstat(path).catch(() => void 0);
  return info?.isDirectory() === true;
}

// runner-hook/completed.ts
async function runJobCompleted(env, stdout = process.stdout) {
  const out = hookOutput(stdout);
  let clear = () => {
  };
  try {
    const settings = await readHookSettings(env, "completed");
    const deadline = hookDeadline(
      settings.timeoutMs,
      () => new GuardError(
        "SERVER_UNREACHABLE",
        `guard runner hook: job-completed did not finish within ${settings.timeoutMs / 1e3}s (GUARD_RUNNER_HOOK_TIMEOUT); recordings may not have reached the server`
      )
    );
    clear = deadline.clear;
    const report = jobReportFromEnv(env, await readEventPayload(env.GITHUB_EVENT_PATH));
    const sessions = await findLocalSessions(env.RUNNER_TEMP);
    const client = new RunnerClient(settings.server, settings.credential, { signal: deadline.signal });
    const done = await client.jobCompleted({
      report,
      sessions: sessions.map(({ id, files }) => ({ id, files }))
    });
    for (const id of done.closedSessions)
      out.info(`guard: session ${id} was still open (the action's post step did not finish); closed it`);
    let shipped = 0;
    for (const want of done.wanted) {
      const session = sessions.find((s) => s.id === want.session);
      if (!session) continue;
      await shipFile(client, done.job.id, session, want.path);
      shipped++;
    }
    if (shipped > 0) out.info(`guard: shipped ${shipped} recording file(s) to the server`);
    if (!done.requireGuard.satisfied) {
      out.error(`guard: ${done.requireGuard.message}`);
      return 1;
    }
    if (done.requireGuard.required) out.info(`guard: ${done.requireGuard.message}`);
    out.info(`guard: job ${done.job.id} reported complete`);
    return 0;
  } catch (error) {
    out.error(describeError(error));
    return 1;
  } finally {
    clear();
  }
}
async function shipFile(client, job, session, path) {
  const file = session.files.find((f) => f.path === path);
  if (!file) return;
  const location = join2(session.recordDir, path);
  let offset = 0;
  for (let rounds = 0; rounds < 2 + Math.ceil(file.size / CHUNK_BYTES) * 2; rounds++) {
    const bytes = await readSlice(location, offset, Math.min(CHUNK_BYTES, file.size - offset));
    const answer = await client.shipChunk({
      job,
      session: session.id,
      path,
      size: file.size,
      sha256: file.sha256,
      offset,
      data: bytes.toString("base64")
    });
    if (answer.complete) return;
    offset = answer.received;
  }
  throw new GuardError(
    "SERVER_ERROR",
    `guard runner hook: the server did not accept ${path} of session ${session.id}`
  );
}

// runner-hook/job-completed.ts
process.exitCode = await runJobCompleted(process.env);
