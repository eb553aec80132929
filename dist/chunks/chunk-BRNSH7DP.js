import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  RunnerClient,
  readHookSettings,
  timeLimit
} from "./chunk-2RDDSRY6.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";

// runner-hook/started.ts
import { readFile } from "node:fs/promises";

// runner-hook/hook-output.ts
import { appendFile } from "node:fs/promises";
function hookOutput(stream) {
  return {
    info: (line) => stream.write(`${line}
`),
    error: (message) => stream.write(`::error title=guard runner hook::${escapeData(message)}
`)
  };
}
function escapeData(value) {
  return value.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
async function exportToJob(env, values) {
  const file = env.GITHUB_ENV;
  if (!file) return;
  const lines = Object.entries(values).filter(([, value]) => !/[\r\n]/.test(value)).map(([key, value]) => `${key}=${value}
`).join("");
  await appendFile(file, lines);
}
function hookDeadline(ms, makeError) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(makeError()), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

// runner-hook/job-report.ts
var REQUIRED = {
  repository: "GITHUB_REPOSITORY",
  repositoryId: "GITHUB_REPOSITORY_ID",
  repositoryOwner: "GITHUB_REPOSITORY_OWNER",
  repositoryOwnerId: "GITHUB_REPOSITORY_OWNER_ID",
  runId: "GITHUB_RUN_ID",
  runAttempt: "GITHUB_RUN_ATTEMPT",
  job: "GITHUB_JOB",
  ref: "GITHUB_REF",
  sha: "GITHUB_SHA",
  workflow: "GITHUB_WORKFLOW",
  workflowRef: "GITHUB_WORKFLOW_REF",
  eventName: "GITHUB_EVENT_NAME",
  actor: "GITHUB_ACTOR"
};
var OPTIONAL = {
  runNumber: "GITHUB_RUN_NUMBER",
  refProtected: "GITHUB_REF_PROTECTED",
  workflowSha: "GITHUB_WORKFLOW_SHA",
  actorId: "GITHUB_ACTOR_ID",
  headRef: "GITHUB_HEAD_REF",
  baseRef: "GITHUB_BASE_REF",
  runnerName: "RUNNER_NAME"
};
var PULL_REQUEST_EVENTS = /* @__PURE__ */ new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment"
]);
function jobReportFromEnv(env, payload) {
  const missing = Object.values(REQUIRED).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new GuardError(
      "BAD_INPUT",
      `guard runner hook: the runner did not set ${missing.join(", ")}; the hook must be started by the runner (ACTIONS_RUNNER_HOOK_JOB_STARTED/COMPLETED), not by hand`
    );
  }
  const report = Object.fromEntries(
    Object.entries(REQUIRED).map(([field, name]) => [field, env[name] ?? ""])
  );
  const out = {
    ...report,
    refType: env.GITHUB_REF_TYPE || "branch",
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR || report.actor
  };
  for (const [field, name] of Object.entries(OPTIONAL)) {
    const value = env[name];
    if (value) Object.assign(out, { [field]: value });
  }
  const event = isRecord(payload) ? payload : {};
  if (PULL_REQUEST_EVENTS.has(report.eventName)) {
    const fork = pullRequestFromFork(event, report.repository);
    if (fork !== void 0) out.pullRequestFromFork = fork;
    const number = isRecord(event.pull_request) ? event.pull_request.number : void 0;
    if (typeof number === "number") out.pullRequestNumber = number;
  }
  const deployment = isRecord(event.deployment) ? event.deployment : void 0;
  if (report.eventName === "deployment" && typeof deployment?.environment === "string")
    out.environment = deployment.environment;
  return out;
}
function pullRequestFromFork(event, repository) {
  const pr = isRecord(event.pull_request) ? event.pull_request : void 0;
  const head = isRecord(pr?.head) ? pr.head : void 0;
  const headRepo = isRecord(head?.repo) ? head.repo : void 0;
  if (!headRepo) return void 0;
  if (headRepo.fork === true) return true;
  if (typeof headRepo.full_name !== "string") return void 0;
  return headRepo.full_name.toLowerCase() !== repository.toLowerCase();
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// runner-hook/started.ts
var WAIT_SEC = 25;
async function runJobStarted(env, stdout = process.stdout) {
  const out = hookOutput(stdout);
  let clear = () => {
  };
  try {
    const settings = await readHookSettings(env, "started");
    const deadline = hookDeadline(
      settings.timeoutMs,
      () => new GuardError(
        "APPROVAL_EXPIRED",
        `guard runner hook: no decision within the hook's time limit of ${settings.timeoutMs / 1e3}s (GUARD_RUNNER_HOOK_TIMEOUT); the job is refused. Re-run the job once a reviewer is available`
      )
    );
    clear = deadline.clear;
    const report = jobReportFromEnv(env, await readEventPayload(env.GITHUB_EVENT_PATH));
    const client = new RunnerClient(settings.server, settings.credential, { signal: deadline.signal });
    out.info(
      `guard: asking ${settings.server} whether this runner may run job ${report.job} of ${report.repository} (run ${report.runId}/${report.runAttempt}, ${report.eventName} on ${report.ref}, workflow ${report.workflowRef})`
    );
    const started = await client.jobStarted(report);
    out.info(`guard: ${started.reason} (runner ${started.job.runner}, job ${started.job.id})`);
    if (started.approval) await waitUntilApproved(client, started.approval, out, deadline.signal);
    if (started.requireGuard)
      out.info(
        "guard: policy requires guard here: the job fails at the end unless its risky steps run with `shell: guard {0}`"
      );
    await exportToJob(env, {
      GUARD_RUNNER_JOB: started.job.id,
      ...started.requireGuard ? { GUARD_REQUIRED: "true" } : {}
    });
    out.info("guard: the job may start");
    return 0;
  } catch (error) {
    out.error(describeError(error));
    out.info("guard: no step of this job will run");
    return 1;
  } finally {
    clear();
  }
}
async function waitUntilApproved(client, first, out, signal) {
  let state = first;
  if (state.status === "pending")
    out.info(
      `guard: this job needs ${state.required} approval(s) from ${state.reviewers.join(", ") || "a reviewer"} before it starts; approval ${state.id} expires at ${state.expiresAt}. Approve on the pull request, the review page, or with \`guard approve ${state.id}\``
    );
  while (state.status === "pending") {
    if (signal.aborted) throw timeLimit(signal);
    state = await client.waitForApproval(state.id, WAIT_SEC);
  }
  const who = state.votes.map((vote) => `${vote.reviewer} (${vote.channel})`).join(", ");
  if (state.status === "approved") {
    out.info(`guard: job approved by ${who}`);
    return;
  }
  if (state.status === "denied")
    throw new GuardError(
      "APPROVAL_DENIED",
      `guard: the job was denied (approval ${state.id}: ${state.reason ?? `by ${who}`}); it will not run`
    );
  throw new GuardError(
    "APPROVAL_EXPIRED",
    `guard: approval ${state.id} for this job expired at ${state.expiresAt} with no decision; ask a reviewer to watch for it and re-run the job`
  );
}
async function readEventPayload(path) {
  if (!path) return {};
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new GuardError("BAD_INPUT", `guard runner hook: cannot read the event payload at ${path}`, {
      cause: error
    });
  }
}

export {
  hookOutput,
  hookDeadline,
  jobReportFromEnv,
  runJobStarted,
  readEventPayload
};
